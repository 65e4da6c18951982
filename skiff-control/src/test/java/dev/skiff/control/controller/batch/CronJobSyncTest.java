package dev.skiff.control.controller.batch;

import dev.skiff.control.controller.Times;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.skiff.control.controller.batch.BatchFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** CronJob sync decisions as tables over snapshots (CronJob + its Jobs) at an injected instant. */
class CronJobSyncTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    /** T0 (10:00:00) in minutes since the epoch: the suffix of the Job scheduled for 10:00. */
    private static final long T0_MINUTES = T0.getEpochSecond() / 60;

    /** A CronJob "every minute", created 90 s before T0, adjusted by {@code spec}. */
    static CronJob cronJob(UnaryOperator<CronJobSpecBuilder> spec) {
        CronJobSpecBuilder builder = new CronJobSpecBuilder().withSchedule("* * * * *")
                .withConcurrencyPolicy("Allow").withSuccessfulJobsHistoryLimit(3).withFailedJobsHistoryLimit(1)
                .withNewJobTemplate().withNewMetadata().withLabels(Map.of("team", "a")).endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never").addNewContainer()
                .withName("main").withImage("busybox").endContainer().endSpec().endTemplate().endSpec()
                .endJobTemplate();
        return new CronJobBuilder().withNewMetadata().withName("tick").withNamespace("ns").withUid("cj-uid")
                .withCreationTimestamp(Times.format(T0.minusSeconds(90))).endMetadata()
                .withSpec(spec.apply(builder).build()).build();
    }

    static CronJob withStatus(CronJob cronJob, Instant lastSchedule, Job... active) {
        List<ObjectReference> refs = new ArrayList<>();
        for (Job job : active) {
            refs.add(CronJobSync.reference(job));
        }
        return new CronJobBuilder(cronJob).withNewStatus().withActive(refs)
                .withLastScheduleTime(lastSchedule == null ? null : Times.format(lastSchedule)).endStatus().build();
    }

    static Job child(String name, String condition, Instant started) {
        Job job = new JobBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid(name + "-uid")
                .endMetadata().withNewSpec().endSpec().withNewStatus().withStartTime(Times.format(started))
                .endStatus().build();
        if (condition == null) {
            return job;
        }
        Job done = BatchFixtures.withCondition(job, condition, "x");
        done.getStatus().setCompletionTime("Complete".equals(condition) ? Times.format(started.plusSeconds(30))
                : null);
        return done;
    }

    private static List<String> reasons(CronJobPlan plan) {
        return plan.events().stream().map(JobPlan.JobEvent::reason).toList();
    }

    @Test
    void aDueScheduleTimeCreatesAJobNamedAfterItsMinute() {
        CronJobPlan plan = CronJobSync.plan(cronJob(s -> s), List.of(), T0.plusSeconds(5), UTC);
        Job job = plan.create();
        assertThat(job.getMetadata().getName()).isEqualTo("tick-" + T0_MINUTES);
        assertThat(plan.scheduledFor()).isEqualTo(T0);
        assertThat(job.getMetadata().getLabels()).containsEntry("team", "a");
        assertThat(job.getMetadata().getAnnotations())
                .containsEntry(CronJobSync.SCHEDULED_TIMESTAMP, "2026-01-01T10:00:00Z");
        assertThat(job.getMetadata().getOwnerReferences().get(0)).satisfies(ref -> {
            assertThat(ref.getKind()).isEqualTo("CronJob");
            assertThat(ref.getUid()).isEqualTo("cj-uid");
            assertThat(ref.getController()).isTrue();
            assertThat(ref.getBlockOwnerDeletion()).isTrue();
        });
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("busybox");
        // Next: 10:01:00, plus upstream's 100 ms margin.
        assertThat(plan.requeueAfter()).isEqualTo(Duration.ofMillis(55_100));

        // Already run for 10:00: nothing until 10:01.
        CronJobPlan again = CronJobSync.plan(withStatus(cronJob(s -> s), T0), List.of(), T0.plusSeconds(5), UTC);
        assertThat(again.create()).isNull();
        assertThat(again.requeueAfter()).isEqualTo(Duration.ofMillis(55_100));
    }

    /** One row: concurrency policy with one Job running → whether a Job is created and which are deleted. */
    private record Row(String policy, boolean creates, List<String> deleted, List<String> events) {
    }

    @Test
    void concurrencyPoliciesDecideAboutARunningJob() {
        Job running = child("tick-1", null, T0.minusSeconds(60));
        for (Row row : List.of(
                new Row("Allow", true, List.of(), List.of()),
                new Row("Forbid", false, List.of(), List.of("JobAlreadyActive")),
                new Row("Replace", true, List.of("tick-1"), List.of("SuccessfulDelete")))) {
            CronJob cj = withStatus(cronJob(s -> s.withConcurrencyPolicy(row.policy())), T0.minusSeconds(60), running);
            CronJobPlan plan = CronJobSync.plan(cj, List.of(running), T0.plusSeconds(1), UTC);
            assertThat(plan.create() != null).as(row.policy()).isEqualTo(row.creates());
            assertThat(plan.deletions()).extracting(j -> j.getMetadata().getName()).as(row.policy())
                    .isEqualTo(row.deleted());
            assertThat(reasons(plan)).as(row.policy()).isEqualTo(row.events());
            assertThat(plan.status().getActive()).hasSize(row.policy().equals("Replace") ? 0 : 1);
        }
    }

    @Test
    void startingDeadlineSkipsTimesMissedForTooLong() {
        CronJob late = withStatus(cronJob(s -> s.withStartingDeadlineSeconds(10L)), T0.minusSeconds(3600));
        assertThat(CronJobSync.plan(late, List.of(), T0.plusSeconds(30), UTC).create()).isNull();
        CronJob inTime = withStatus(cronJob(s -> s.withStartingDeadlineSeconds(60L)), T0.minusSeconds(3600));
        CronJobPlan plan = CronJobSync.plan(inTime, List.of(), T0.plusSeconds(30), UTC);
        assertThat(plan.scheduledFor()).isEqualTo(T0);
        assertThat(reasons(plan)).isEmpty();

        // Without a deadline the latest of many missed times runs, with a warning.
        CronJob idle = withStatus(cronJob(s -> s), T0.minusSeconds(86_400));
        CronJobPlan caughtUp = CronJobSync.plan(idle, List.of(), T0.plusSeconds(30), UTC);
        assertThat(caughtUp.scheduledFor()).isEqualTo(T0);
        assertThat(reasons(caughtUp)).containsExactly("TooManyMissedTimes");
    }

    @Test
    void suspendedOrInvalidCronJobsCreateNothing() {
        CronJobPlan suspended = CronJobSync.plan(cronJob(s -> s.withSuspend(true)), List.of(), T0, UTC);
        assertThat(suspended.create()).isNull();
        assertThat(suspended.requeueAfter()).isNull();
        CronJobPlan badZone = CronJobSync.plan(cronJob(s -> s.withTimeZone("Mars/Olympus")), List.of(), T0, UTC);
        assertThat(reasons(badZone)).containsExactly("UnknownTimeZone");
        assertThat(badZone.create()).isNull();
        CronJobPlan badSchedule = CronJobSync.plan(cronJob(s -> s.withSchedule("61 * * * *")), List.of(), T0, UTC);
        assertThat(reasons(badSchedule)).containsExactly("UnparseableSchedule");
        assertThat(badSchedule.requeueAfter()).isNull();
    }

    @Test
    void schedulesRunInTheirTimeZone() {
        Instant now = Instant.parse("2026-06-02T07:00:30Z"); // 09:00:30 in Berlin (summer time)
        CronJob cj = new CronJobBuilder(cronJob(s -> s.withSchedule("0 9 * * *").withTimeZone("Europe/Berlin")))
                .editMetadata().withCreationTimestamp("2026-06-01T12:00:00Z").endMetadata().build();
        CronJobPlan plan = CronJobSync.plan(cj, List.of(), now, UTC);
        assertThat(plan.scheduledFor()).isEqualTo(Instant.parse("2026-06-02T07:00:00Z"));
        assertThat(plan.create().getMetadata().getAnnotations())
                .containsEntry(CronJobSync.SCHEDULED_TIMESTAMP, "2026-06-02T09:00:00+02:00");
        // Without a time zone the controller's zone applies: 09:00 UTC is still ahead.
        CronJob utc = new CronJobBuilder(cj).editSpec().withTimeZone(null).endSpec().build();
        CronJobPlan none = CronJobSync.plan(utc, List.of(), now, UTC);
        assertThat(none.create()).isNull();
        assertThat(none.requeueAfter()).isEqualTo(Duration.ofMinutes(119).plusSeconds(30).plusMillis(100));
    }

    @Test
    void theActiveListFollowsTheJobs() {
        Job done = child("tick-1", "Complete", T0.minusSeconds(120));
        Job gone = child("tick-2", null, T0.minusSeconds(60));
        Job manual = child("manual", null, T0.minusSeconds(10));
        CronJob cj = withStatus(cronJob(s -> s), T0, done, gone);
        CronJobPlan plan = CronJobSync.plan(cj, List.of(done, manual), T0.plusSeconds(5), UTC);
        assertThat(plan.status().getActive()).isEmpty();
        assertThat(plan.status().getLastSuccessfulTime()).isEqualTo(Times.format(T0.minusSeconds(90)));
        assertThat(reasons(plan)).containsExactlyInAnyOrder("SawCompletedJob", "UnexpectedJob", "MissingJob");
    }

    @Test
    void finishedJobsBeyondTheHistoryLimitsAreDeletedOldestFirst() {
        List<Job> jobs = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            jobs.add(child("ok-" + i, "Complete", T0.minusSeconds(1000 - i)));
        }
        jobs.add(child("bad-1", "Failed", T0.minusSeconds(500)));
        jobs.add(child("bad-2", "Failed", T0.minusSeconds(400)));
        jobs.add(child("running", null, T0.minusSeconds(100)));
        CronJob cj = withStatus(cronJob(s -> s), T0, jobs.get(7));
        CronJobPlan plan = CronJobSync.plan(cj, jobs, T0.plusSeconds(5), UTC);
        assertThat(plan.deletions()).extracting(j -> j.getMetadata().getName())
                .containsExactlyInAnyOrder("ok-1", "ok-2", "bad-1");
        assertThat(plan.status().getActive()).extracting(ObjectReference::getName).containsExactly("running");
    }
}
