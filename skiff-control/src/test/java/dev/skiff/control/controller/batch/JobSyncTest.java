package dev.skiff.control.controller.batch;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.skiff.control.controller.batch.BatchFixtures.T0;
import static dev.skiff.control.controller.batch.BatchFixtures.deleting;
import static dev.skiff.control.controller.batch.BatchFixtures.finished;
import static dev.skiff.control.controller.batch.BatchFixtures.indexed;
import static dev.skiff.control.controller.batch.BatchFixtures.job;
import static dev.skiff.control.controller.batch.BatchFixtures.ready;
import static dev.skiff.control.controller.batch.BatchFixtures.running;
import static dev.skiff.control.controller.batch.BatchFixtures.withCondition;
import static org.assertj.core.api.Assertions.assertThat;

/** Job sync decisions as tables over snapshots (Job + pods) at an injected instant. */
class JobSyncTest {

    private static JobPlan plan(Job job, List<Pod> pods) {
        return JobSync.plan(job, pods, T0, true);
    }

    private static String condition(JobStatus status, String type) {
        var c = JobConditions.get(status, type);
        return c == null ? null : c.getStatus() + "/" + c.getReason();
    }

    /** One row: completions, parallelism, pods → pods to create, to delete, and status.active. */
    private record Row(Integer completions, int parallelism, List<Pod> pods, int create, int delete, int active) {
    }

    @Test
    void keepsParallelismActiveUntilCompletionsAreReached() {
        List<Row> rows = List.of(
                new Row(3, 2, List.of(), 2, 0, 2),
                new Row(3, 2, List.of(running("a")), 1, 0, 2),
                new Row(3, 2, List.of(finished("a", "Succeeded", T0), running("b")), 1, 0, 2),
                new Row(3, 2, List.of(finished("a", "Succeeded", T0), finished("b", "Succeeded", T0), running("c")),
                        0, 0, 1),
                // Parallelism lowered: surplus removed, the cheapest (not ready) first.
                new Row(5, 1, List.of(ready("a"), running("b")), 0, 1, 1),
                // No completions (a work queue): parallelism pods until one succeeds, then no new ones.
                new Row(null, 3, List.of(), 3, 0, 3),
                new Row(null, 3, List.of(finished("a", "Succeeded", T0), running("b")), 0, 0, 1),
                // Terminating pods are not active; a replacement runs meanwhile (podReplacementPolicy default).
                new Row(1, 1, List.of(deleting(running("a"))), 1, 0, 1));
        for (Row row : rows) {
            Job job = job(s -> s.withCompletions(row.completions()).withParallelism(row.parallelism()));
            JobPlan plan = plan(job, row.pods());
            assertThat(plan.creations()).as("create %s", row).isEqualTo(row.create());
            assertThat(plan.deletions()).as("delete %s", row).hasSize(row.delete());
            assertThat(plan.status().getActive()).as("active %s", row).isEqualTo(row.active());
            assertThat(plan.status().getStartTime()).isEqualTo("2026-01-01T10:00:00Z");
        }
        JobPlan shrink = plan(job(s -> s.withCompletions(5).withParallelism(1)), List.of(ready("a"), running("b")));
        assertThat(shrink.deletions().get(0).getMetadata().getName()).isEqualTo("b");
        assertThat(shrink.status().getReady()).isEqualTo(1);
    }

    @Test
    void reachingCompletionsMeetsTheSuccessCriteriaThenCompletesOnceNoPodRuns() {
        Job job = job(s -> s.withCompletions(2).withParallelism(3));
        JobPlan lingering = plan(job, List.of(finished("a", "Succeeded", T0), finished("b", "Succeeded", T0),
                running("c")));
        assertThat(condition(lingering.status(), "SuccessCriteriaMet")).isEqualTo("True/CompletionsReached");
        assertThat(condition(lingering.status(), "Complete")).isNull();
        assertThat(lingering.deletions()).extracting(p -> p.getMetadata().getName()).containsExactly("c");
        assertThat(lingering.status().getSucceeded()).isEqualTo(2);

        Job met = new JobBuilder(job).withStatus(lingering.status()).build();
        JobPlan terminating = plan(met, List.of(finished("a", "Succeeded", T0), finished("b", "Succeeded", T0),
                deleting(running("c"))));
        assertThat(condition(terminating.status(), "Complete")).isNull();
        assertThat(terminating.status().getTerminating()).isEqualTo(1);

        JobPlan done = plan(met, List.of(finished("a", "Succeeded", T0), finished("b", "Succeeded", T0)));
        assertThat(condition(done.status(), "Complete")).isEqualTo("True/CompletionsReached");
        assertThat(done.status().getCompletionTime()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(done.events()).extracting(JobPlan.JobEvent::reason).containsExactly("Completed");

        Job complete = new JobBuilder(met).withStatus(done.status()).build();
        JobPlan after = plan(complete, List.of());
        assertThat(after.creations()).isZero();
        assertThat(after.status()).isEqualTo(complete.getStatus());
    }

    @Test
    void failedPodsBeyondTheBackoffLimitFailTheJob() {
        Job job = job(s -> s.withCompletions(1).withParallelism(1).withBackoffLimit(1));
        // One failure is within the limit: a replacement, but only after the pod failure backoff (10 s).
        JobPlan retry = plan(job, List.of(finished("a", "Failed", T0.minusSeconds(4))));
        assertThat(retry.creations()).isZero();
        assertThat(retry.recheckAfter()).isEqualTo(Duration.ofSeconds(6));
        assertThat(retry.status().getFailed()).isEqualTo(1);
        assertThat(JobSync.plan(job, List.of(finished("a", "Failed", T0.minusSeconds(10))), T0, true).creations())
                .isEqualTo(1);

        JobPlan failed = plan(job, List.of(finished("a", "Failed", T0.minusSeconds(30)),
                finished("b", "Failed", T0)));
        assertThat(condition(failed.status(), "FailureTarget")).isEqualTo("True/BackoffLimitExceeded");
        assertThat(condition(failed.status(), "Failed")).isEqualTo("True/BackoffLimitExceeded");
        assertThat(JobConditions.get(failed.status(), "Failed").getMessage())
                .isEqualTo("Job has reached the specified backoff limit");
        assertThat(failed.status().getCompletionTime()).isNull();
        assertThat(failed.events()).extracting(JobPlan.JobEvent::reason).containsExactly("BackoffLimitExceeded");
    }

    @Test
    void failureBackoffDoublesPerFailureSinceTheLastSuccess() {
        List<Pod> threeFailures = List.of(finished("a", "Failed", T0.minusSeconds(100)),
                finished("b", "Failed", T0.minusSeconds(50)), finished("c", "Failed", T0.minusSeconds(10)));
        assertThat(JobSync.failureBackoffRemaining(List.of(), threeFailures, T0)).isEqualTo(Duration.ofSeconds(30));
        // A success after the first two failures resets the count: one failure, 10 s from its time.
        assertThat(JobSync.failureBackoffRemaining(List.of(finished("s", "Succeeded", T0.minusSeconds(20))),
                threeFailures, T0)).isNull();
        assertThat(JobSync.failureBackoffRemaining(List.of(finished("s", "Succeeded", T0.minusSeconds(20))),
                List.of(finished("c", "Failed", T0.minusSeconds(4))), T0)).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void onFailureRestartsCountAgainstTheBackoffLimit() {
        Job job = job(s -> s.withCompletions(1).withParallelism(1).withBackoffLimit(2)
                .editTemplate().editSpec().withRestartPolicy("OnFailure").endSpec().endTemplate());
        Pod restarted = new PodBuilder(running("a")).editStatus().addToContainerStatuses(new ContainerStatusBuilder()
                .withName("main").withRestartCount(2).build()).endStatus().build();
        JobPlan plan = plan(job, List.of(restarted));
        assertThat(condition(plan.status(), "FailureTarget")).isEqualTo("True/BackoffLimitExceeded");
        assertThat(plan.deletions()).hasSize(1);
        assertThat(condition(plan.status(), "Failed")).isNull(); // once the pod is gone
    }

    @Test
    void anActiveDeadlineFailsTheJobAndRemovesItsPods() {
        Job job = new JobBuilder(job(s -> s.withActiveDeadlineSeconds(60L))).withNewStatus()
                .withStartTime("2026-01-01T09:59:00Z").withActive(1).endStatus().build();
        JobPlan plan = plan(job, List.of(running("a")));
        assertThat(condition(plan.status(), "FailureTarget")).isEqualTo("True/DeadlineExceeded");
        assertThat(plan.deletions()).hasSize(1);
        assertThat(plan.status().getFailed()).isEqualTo(1);
        assertThat(plan.status().getActive()).isNull(); // omitted when zero, as upstream

        Job target = new JobBuilder(job).withStatus(plan.status()).build();
        JobPlan gone = plan(target, List.of());
        assertThat(condition(gone.status(), "Failed")).isEqualTo("True/DeadlineExceeded");
        assertThat(JobConditions.get(gone.status(), "Failed").getMessage())
                .isEqualTo("Job was active longer than specified deadline");

        Job early = new JobBuilder(job(s -> s.withActiveDeadlineSeconds(60L))).withNewStatus()
                .withStartTime("2026-01-01T09:59:30Z").endStatus().build();
        assertThat(plan(early, List.of(running("a"))).recheckAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void suspendingRemovesActivePodsAndResumingRestartsTheClock() {
        Job suspended = new JobBuilder(job(s -> s.withSuspend(true))).withNewStatus()
                .withStartTime("2026-01-01T09:00:00Z").endStatus().build();
        JobPlan plan = plan(suspended, List.of(running("a")));
        assertThat(plan.deletions()).hasSize(1);
        assertThat(plan.creations()).isZero();
        assertThat(condition(plan.status(), "Suspended")).isEqualTo("True/JobSuspended");
        assertThat(plan.events()).extracting(JobPlan.JobEvent::reason).containsExactly("Suspended");

        Job resumed = new JobBuilder(suspended).editSpec().withSuspend(false).endSpec().withStatus(plan.status())
                .build();
        JobPlan again = plan(resumed, List.of());
        assertThat(condition(again.status(), "Suspended")).isEqualTo("False/JobResumed");
        assertThat(again.status().getStartTime()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(again.creations()).isEqualTo(1);

        // A Job created suspended has no start time.
        assertThat(plan(job(s -> s.withSuspend(true)), List.of()).status().getStartTime()).isNull();
    }

    @Test
    void countsNeverGoDownWhenFinishedPodsAreRemoved() {
        Job job = new JobBuilder(job(s -> s.withCompletions(3).withParallelism(1))).withNewStatus()
                .withSucceeded(2).withFailed(1).withStartTime("2026-01-01T09:00:00Z").endStatus().build();
        JobPlan plan = plan(job, List.of(finished("c", "Succeeded", T0)));
        assertThat(plan.status().getSucceeded()).isEqualTo(2);
        assertThat(plan.status().getFailed()).isEqualTo(1);
        assertThat(plan.creations()).isEqualTo(1);
    }

    @Test
    void indexedJobsRunEachPendingIndexOnceAndRecordCompletedIndexes() {
        Job job = job(s -> s.withCompletions(4).withParallelism(2).withCompletionMode("Indexed"));
        JobPlan plan = plan(job, List.of(indexed(finished("a", "Succeeded", T0), 0), indexed(running("b"), 2)));
        assertThat(plan.indexes()).containsExactly(1);
        assertThat(plan.status().getCompletedIndexes()).isEqualTo("0");
        assertThat(plan.status().getSucceeded()).isEqualTo(1);

        // A duplicate for a running index and a pod for a completed one are removed.
        JobPlan dupes = plan(job, List.of(indexed(finished("a", "Succeeded", T0), 0), indexed(running("b"), 2),
                indexed(running("c"), 2), indexed(running("d"), 0)));
        assertThat(dupes.deletions()).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder("c", "d");
        assertThat(dupes.indexes()).containsExactly(1);

        // Completed indexes recorded in the status stay completed after their pods are gone.
        Job recorded = new JobBuilder(job).withNewStatus().withCompletedIndexes("0-1,3").withSucceeded(3)
                .withStartTime("2026-01-01T09:00:00Z").endStatus().build();
        JobPlan last = plan(recorded, List.of(indexed(finished("x", "Succeeded", T0), 2)));
        assertThat(last.status().getCompletedIndexes()).isEqualTo("0-3");
        assertThat(condition(last.status(), "Complete")).isEqualTo("True/CompletionsReached");

        Pod pod = JobPods.fromTemplate(job, 3);
        assertThat(pod.getMetadata().getGenerateName()).isEqualTo("pi-3-");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry(JobPods.COMPLETION_INDEX, "3");
        assertThat(pod.getSpec().getHostname()).isEqualTo("pi-3");
        assertThat(pod.getSpec().getContainers().get(0).getEnv()).anyMatch(e -> e.getName()
                .equals("JOB_COMPLETION_INDEX"));
    }

    @Test
    void podsCarryUpstreamsLabelsAndAControllerReference() {
        Pod pod = JobPods.fromTemplate(job(s -> s), null);
        assertThat(pod.getMetadata().getGenerateName()).isEqualTo("pi-");
        assertThat(pod.getMetadata().getLabels()).containsEntry("app", "batch")
                .containsEntry("batch.kubernetes.io/controller-uid", "job-uid")
                .containsEntry("batch.kubernetes.io/job-name", "pi")
                .containsEntry("controller-uid", "job-uid").containsEntry("job-name", "pi");
        var ref = pod.getMetadata().getOwnerReferences().get(0);
        assertThat(ref.getKind()).isEqualTo("Job");
        assertThat(ref.getApiVersion()).isEqualTo("batch/v1");
        assertThat(ref.getController()).isTrue();
        assertThat(ref.getBlockOwnerDeletion()).isTrue();
        assertThat(JobPods.fromTemplate(job(s -> s.withManualSelector(true)), null).getMetadata().getLabels())
                .doesNotContainKey("controller-uid");
    }

    @Test
    void unsatisfiedExpectationsOnlyUpdateTheStatus() {
        JobPlan plan = JobSync.plan(job(s -> s.withCompletions(2).withParallelism(2)), List.of(running("a")), T0,
                false);
        assertThat(plan.creations()).isZero();
        assertThat(plan.status().getActive()).isEqualTo(1);
    }

    @Test
    void finishedJobsExpireAfterTheirTtl() {
        Job complete = withCondition(job(s -> s.withTtlSecondsAfterFinished(100)), "Complete", "CompletionsReached");
        assertThat(TtlAfterFinished.remaining(complete, T0.plusSeconds(40))).isEqualTo(Duration.ofSeconds(60));
        assertThat(TtlAfterFinished.remaining(complete, T0.plusSeconds(100))).isZero();
        assertThat(TtlAfterFinished.remaining(withCondition(job(s -> s), "Complete", "x"), T0)).isNull();
        assertThat(TtlAfterFinished.remaining(job(s -> s.withTtlSecondsAfterFinished(0)), T0)).isNull();
    }

    @Test
    void completedIndexesRoundTrip() {
        assertThat(CompletedIndexes.format(CompletedIndexes.parse("0-2,4,6-7", 10))).isEqualTo("0-2,4,6-7");
        assertThat(CompletedIndexes.format(CompletedIndexes.parse("1,x,3-1,8-12", 10))).isEqualTo("1,8-9");
        assertThat(CompletedIndexes.format(CompletedIndexes.parse(null, 3))).isEmpty();
    }
}
