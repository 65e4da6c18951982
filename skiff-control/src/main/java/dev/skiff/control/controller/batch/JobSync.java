package dev.skiff.control.controller.batch;

import dev.skiff.control.controller.Pods;
import dev.skiff.control.controller.Times;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * The Job controller's decisions, as upstream's {@code syncJob}/{@code manageJob} (pkg/controller/job), over a
 * snapshot: the Job and the pods it controls, at an instant. Pure: no I/O, no clock of its own.
 *
 * <p>Counting: upstream keeps pods with the {@code batch.kubernetes.io/job-tracking} finalizer until it has
 * counted them. Skiff counts the terminated pods still present and never lets {@code status.succeeded},
 * {@code status.failed} or an Indexed Job's {@code completedIndexes} go down, so a finished pod deleted after it was
 * counted stays counted; one deleted before any sync saw it terminated is not counted (see decision 020).
 */
public final class JobSync {

    /** Upstream's {@code DefaultJobPodFailureBackOff} and {@code MaxJobPodFailureBackOff}. */
    static final Duration FAILURE_BACKOFF = Duration.ofSeconds(10);
    static final Duration MAX_FAILURE_BACKOFF = Duration.ofMinutes(6);
    /** Upstream's {@code MaxPodCreateDeletePerSync}. */
    static final int MAX_PER_SYNC = 500;

    private JobSync() {
    }

    /**
     * Decides one sync.
     *
     * @param pods       every pod the Job controls (active, terminating and terminated)
     * @param mayManage  false while earlier creations/deletions are not yet seen in the cache: then status only
     */
    public static JobPlan plan(Job job, List<Pod> pods, Instant now, boolean mayManage) {
        JobSpec spec = job.getSpec();
        JobStatus previous = job.getStatus() == null ? new JobStatus() : job.getStatus();
        JobStatus status = new JobStatusBuilder(previous).build();
        if (JobConditions.finished(job)) {
            return new JobPlan(status, 0, List.of(), List.of(), List.of(), null);
        }
        int parallelism = spec.getParallelism() == null ? 1 : Math.max(0, spec.getParallelism());
        Integer completions = spec.getCompletions();
        int backoffLimit = spec.getBackoffLimit() == null ? 6 : spec.getBackoffLimit();
        boolean suspended = Boolean.TRUE.equals(spec.getSuspend());
        boolean indexed = "Indexed".equals(spec.getCompletionMode()) && completions != null;

        List<Pod> active = new ArrayList<>();
        int terminating = 0;
        List<Pod> succeededPods = new ArrayList<>();
        List<Pod> failedPods = new ArrayList<>();
        for (Pod pod : pods) {
            if (JobPods.succeeded(pod)) {
                succeededPods.add(pod);
            } else if (JobPods.failed(pod)) {
                failedPods.add(pod);
            } else if (pod.getMetadata().getDeletionTimestamp() != null) {
                terminating++;
            } else {
                active.add(pod);
            }
        }
        int succeeded;
        BitSet completed = null;
        if (indexed) {
            completed = CompletedIndexes.parse(previous.getCompletedIndexes(), completions);
            for (Pod pod : succeededPods) {
                Integer index = JobPods.index(pod);
                if (index != null && index >= 0 && index < completions) {
                    completed.set(index);
                }
            }
            succeeded = completed.cardinality();
            String text = CompletedIndexes.format(completed);
            status.setCompletedIndexes(text.isEmpty() ? null : text);
        } else {
            succeeded = Math.max(orZero(previous.getSucceeded()), succeededPods.size());
        }
        int failed = Math.max(orZero(previous.getFailed()), failedPods.size());

        List<JobPlan.JobEvent> events = new ArrayList<>();
        List<Pod> deletions = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        int creations = 0;
        Duration recheck = null;

        Instant startTime = Times.parse(previous.getStartTime());
        if (startTime == null && !suspended) {
            startTime = now;
            status.setStartTime(Times.format(now));
        }

        String failureReason = null;
        String failureMessage = null;
        if (JobConditions.isTrue(previous, JobConditions.FAILURE_TARGET)) {
            var target = JobConditions.get(previous, JobConditions.FAILURE_TARGET);
            failureReason = target.getReason();
            failureMessage = target.getMessage();
        } else if (!JobConditions.isTrue(previous, JobConditions.SUCCESS_CRITERIA_MET)) {
            if (failed > backoffLimit || pastBackoffLimitOnFailure(spec, active, backoffLimit)) {
                failureReason = JobConditions.BACKOFF_LIMIT_EXCEEDED;
                failureMessage = "Job has reached the specified backoff limit";
            } else if (!suspended && spec.getActiveDeadlineSeconds() != null && startTime != null
                    && !now.isBefore(startTime.plusSeconds(spec.getActiveDeadlineSeconds()))) {
                failureReason = JobConditions.DEADLINE_EXCEEDED;
                failureMessage = "Job was active longer than specified deadline";
            }
        }
        boolean successTarget = failureReason == null
                && (JobConditions.isTrue(previous, JobConditions.SUCCESS_CRITERIA_MET)
                    || (completions == null ? succeeded > 0 && active.isEmpty() : succeeded >= completions));

        if (failureReason != null || successTarget) {
            // Terminal: remove what still runs, then declare the end once no pod of the Job is running (1.31+).
            deletions.addAll(active);
            if (failureReason != null) {
                // Upstream counts the pods it removes from a failing Job as failed.
                failed += active.size();
                JobConditions.ensure(status, JobConditions.FAILURE_TARGET, "True", failureReason, failureMessage,
                        now);
            } else {
                JobConditions.ensure(status, JobConditions.SUCCESS_CRITERIA_MET, "True",
                        JobConditions.COMPLETIONS_REACHED, "Reached expected number of succeeded pods", now);
            }
            if (active.isEmpty() && terminating == 0) {
                if (failureReason != null) {
                    JobConditions.ensure(status, JobConditions.FAILED, "True", failureReason, failureMessage, now);
                    events.add(new JobPlan.JobEvent(true, failureReason, failureMessage));
                } else {
                    JobConditions.ensure(status, JobConditions.COMPLETE, "True", JobConditions.COMPLETIONS_REACHED,
                            "Reached expected number of succeeded pods", now);
                    status.setCompletionTime(Times.format(now));
                    events.add(new JobPlan.JobEvent(false, "Completed", "Job completed"));
                }
            }
        } else if (suspended) {
            // Upstream deletes a suspended Job's active pods and says so in the Suspended condition.
            deletions.addAll(active);
            if (JobConditions.ensure(status, JobConditions.SUSPENDED, "True", "JobSuspended", "Job suspended", now)) {
                events.add(new JobPlan.JobEvent(false, "Suspended", "Job suspended"));
            }
        } else {
            if (JobConditions.ensure(status, JobConditions.SUSPENDED, "False", "JobResumed", "Job resumed", now)) {
                events.add(new JobPlan.JobEvent(false, "Resumed", "Job resumed"));
                // Resuming restarts the active deadline's timer, as upstream resets startTime.
                startTime = now;
                status.setStartTime(Times.format(now));
            }
            if (mayManage) {
                if (indexed) {
                    manageIndexed(active, completed, completions, parallelism, deletions, indexes);
                    creations = indexes.size();
                } else {
                    int wantActive = completions == null
                            ? (succeeded > 0 ? active.size() : parallelism)
                            : Math.max(0, Math.min(completions - succeeded, parallelism));
                    int diff = active.size() - wantActive;
                    if (diff > 0) {
                        deletions.addAll(cheapestFirst(active).subList(0, Math.min(diff, MAX_PER_SYNC)));
                    } else if (diff < 0) {
                        creations = Math.min(-diff, MAX_PER_SYNC);
                    }
                }
                if (creations > 0) {
                    Duration wait = failureBackoffRemaining(succeededPods, failedPods, now);
                    if (wait != null) {
                        creations = 0;
                        indexes.clear();
                        recheck = wait;
                    }
                }
            }
            if (spec.getActiveDeadlineSeconds() != null && startTime != null) {
                recheck = earliest(recheck,
                        Duration.between(now, startTime.plusSeconds(spec.getActiveDeadlineSeconds())));
            }
        }

        int activeAfter = active.size() - deletions.size() + creations;
        int ready = 0;
        for (Pod pod : active) {
            if (!deletions.contains(pod) && Pods.isReady(pod)) {
                ready++;
            }
        }
        // active, succeeded and failed are omitted when zero (upstream's omitempty); ready and terminating are not.
        status.setActive(activeAfter == 0 ? null : activeAfter);
        status.setReady(ready);
        status.setTerminating(terminating + deletions.size());
        status.setSucceeded(succeeded == 0 ? null : succeeded);
        status.setFailed(failed == 0 ? null : failed);
        return new JobPlan(status, creations, indexes, deletions, events, recheck);
    }

    /** Upstream's {@code pastBackoffLimitOnFailure}: under OnFailure, container restarts of running pods count. */
    private static boolean pastBackoffLimitOnFailure(JobSpec spec, List<Pod> active, int backoffLimit) {
        if (spec.getTemplate() == null || spec.getTemplate().getSpec() == null
                || !"OnFailure".equals(spec.getTemplate().getSpec().getRestartPolicy())) {
            return false;
        }
        int restarts = 0;
        for (Pod pod : active) {
            String phase = JobPods.phase(pod);
            if (phase == null || "Pending".equals(phase) || "Running".equals(phase)) {
                restarts += JobPods.restarts(pod);
            }
        }
        return backoffLimit == 0 ? restarts > 0 : restarts >= backoffLimit;
    }

    /**
     * Indexed: one active pod per pending index, lowest first, at most {@code parallelism} running; pods with an
     * index already completed, out of range or duplicated are removed, and the highest indexes beyond parallelism.
     */
    private static void manageIndexed(List<Pod> active, BitSet completed, int completions, int parallelism,
                                      List<Pod> deletions, List<Integer> indexes) {
        BitSet running = new BitSet();
        List<Pod> keep = new ArrayList<>();
        for (Pod pod : active) {
            Integer index = JobPods.index(pod);
            if (index == null || index < 0 || index >= completions || completed.get(index) || running.get(index)) {
                deletions.add(pod);
            } else {
                running.set(index);
                keep.add(pod);
            }
        }
        int wantActive = Math.min(parallelism, completions - completed.cardinality());
        if (keep.size() > wantActive) {
            keep.sort(Comparator.comparing((Pod p) -> JobPods.index(p)).reversed());
            deletions.addAll(keep.subList(0, keep.size() - wantActive));
            return;
        }
        for (int i = 0; i < completions && keep.size() + indexes.size() < wantActive
                && indexes.size() < MAX_PER_SYNC; i++) {
            if (!completed.get(i) && !running.get(i)) {
                indexes.add(i);
            }
        }
    }

    /** Surplus pods to remove first, as upstream's {@code ActivePods} order: unscheduled, not running, not ready, newest. */
    private static List<Pod> cheapestFirst(List<Pod> active) {
        List<Pod> sorted = new ArrayList<>(active);
        sorted.sort(Comparator
                .comparing((Pod p) -> p.getSpec() != null && p.getSpec().getNodeName() != null
                        && !p.getSpec().getNodeName().isEmpty())
                .thenComparing(p -> "Running".equals(JobPods.phase(p)))
                .thenComparing(Pods::isReady)
                .thenComparing((Pod p) -> p.getMetadata().getCreationTimestamp() == null ? ""
                        : p.getMetadata().getCreationTimestamp(), Comparator.reverseOrder()));
        return sorted;
    }

    /**
     * Upstream's pod failure backoff: after n failures since the last success, new pods wait 10s·2^(n-1) (at most
     * six minutes) from the last failure. Answers the wait left, or {@code null} if pods may be created now.
     */
    static Duration failureBackoffRemaining(List<Pod> succeededPods, List<Pod> failedPods, Instant now) {
        Instant lastSuccess = null;
        for (Pod pod : succeededPods) {
            lastSuccess = latest(lastSuccess, JobPods.finishedAt(pod));
        }
        int failures = 0;
        Instant lastFailure = null;
        for (Pod pod : failedPods) {
            Instant at = JobPods.finishedAt(pod);
            if (at != null && (lastSuccess == null || at.isAfter(lastSuccess))) {
                failures++;
                lastFailure = latest(lastFailure, at);
            }
        }
        if (failures == 0) {
            return null;
        }
        Duration backoff = FAILURE_BACKOFF;
        for (int i = 1; i < failures && backoff.compareTo(MAX_FAILURE_BACKOFF) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        if (backoff.compareTo(MAX_FAILURE_BACKOFF) > 0) {
            backoff = MAX_FAILURE_BACKOFF;
        }
        Duration left = Duration.between(now, lastFailure.plus(backoff));
        return left.isNegative() || left.isZero() ? null : left;
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private static Duration earliest(Duration a, Duration b) {
        if (b.isNegative()) {
            b = Duration.ZERO;
        }
        return a == null || b.compareTo(a) < 0 ? b : a;
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
