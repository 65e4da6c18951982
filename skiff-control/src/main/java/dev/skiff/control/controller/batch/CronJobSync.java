package dev.skiff.control.controller.batch;

import dev.skiff.control.controller.Times;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The CronJob controller's decisions, as upstream's {@code cronjob_controllerv2.go} ({@code syncCronJob} and
 * {@code cleanupFinishedJobs}), over a snapshot: the CronJob and the Jobs it controls, at an instant. Pure.
 */
public final class CronJobSync {

    /** The annotation 1.32 puts on scheduled Jobs: the schedule time in the CronJob's time zone. */
    public static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    /** Upstream warns when more start times than this were missed (and still starts only the latest). */
    static final int TOO_MANY_MISSED = 100;
    /** Upstream's {@code nextScheduleDelta}: wake a little after the schedule time, never just before it. */
    static final Duration NEXT_SCHEDULE_DELTA = Duration.ofMillis(100);

    private CronJobSync() {
    }

    /**
     * Decides one sync.
     *
     * @param jobs        the Jobs this CronJob controls, plus any in its active list confirmed to exist
     * @param defaultZone the zone of schedules without {@code spec.timeZone} (upstream: the controller's local zone)
     */
    public static CronJobPlan plan(CronJob cronJob, List<Job> jobs, Instant now, ZoneId defaultZone) {
        CronJobStatus status = cronJob.getStatus() == null ? new CronJobStatus()
                : new CronJobStatusBuilder(cronJob.getStatus()).build();
        List<ObjectReference> active = new ArrayList<>(status.getActive() == null ? List.of() : status.getActive());
        List<JobPlan.JobEvent> events = new ArrayList<>();
        List<Job> deletions = new ArrayList<>();

        // Reconcile the active list with the Jobs that exist.
        Set<String> present = new HashSet<>();
        for (Job job : jobs) {
            String uid = job.getMetadata().getUid();
            present.add(uid);
            boolean listed = active.stream().anyMatch(r -> Objects.equals(r.getUid(), uid));
            boolean finished = JobConditions.finished(job);
            if (!listed && !finished) {
                // Upstream does not adopt such a Job (e.g. one made by `kubectl create job --from=cronjob/...`).
                events.add(new JobPlan.JobEvent(true, "UnexpectedJob",
                        "Saw a job that the controller did not create or forgot: " + job.getMetadata().getName()));
            } else if (listed && finished) {
                active.removeIf(r -> Objects.equals(r.getUid(), uid));
                events.add(new JobPlan.JobEvent(false, "SawCompletedJob", "Saw completed job: "
                        + job.getMetadata().getName() + ", condition: "
                        + (JobConditions.isTrue(job.getStatus(), JobConditions.COMPLETE) ? "Complete" : "Failed")));
            }
            if (JobConditions.isTrue(job.getStatus(), JobConditions.COMPLETE)) {
                Instant completed = Times.parse(job.getStatus().getCompletionTime());
                Instant last = Times.parse(status.getLastSuccessfulTime());
                if (completed != null && (last == null || completed.isAfter(last))) {
                    status.setLastSuccessfulTime(Times.format(completed));
                }
            }
        }
        for (ObjectReference ref : List.copyOf(active)) {
            if (!present.contains(ref.getUid())) {
                active.remove(ref);
                events.add(new JobPlan.JobEvent(false, "MissingJob", "Active job went missing: " + ref.getName()));
            }
        }
        cleanupFinished(cronJob, jobs, deletions, events);
        for (Job gone : deletions) {
            active.removeIf(r -> Objects.equals(r.getUid(), gone.getMetadata().getUid()));
        }
        status.setActive(active);

        if (cronJob.getMetadata().getDeletionTimestamp() != null) {
            return new CronJobPlan(status, null, null, deletions, events, null);
        }
        ZoneId zone = defaultZone;
        String timeZone = cronJob.getSpec().getTimeZone();
        if (timeZone != null && !timeZone.isEmpty()) {
            try {
                zone = ZoneId.of(timeZone);
            } catch (DateTimeException e) {
                events.add(new JobPlan.JobEvent(true, "UnknownTimeZone",
                        "invalid timeZone: \"" + timeZone + "\": " + e.getMessage()));
                return new CronJobPlan(status, null, null, deletions, events, null);
            }
        }
        if (Boolean.TRUE.equals(cronJob.getSpec().getSuspend())) {
            return new CronJobPlan(status, null, null, deletions, events, null);
        }
        CronSchedule schedule;
        try {
            schedule = CronSchedule.parse(cronJob.getSpec().getSchedule());
        } catch (IllegalArgumentException e) {
            events.add(new JobPlan.JobEvent(true, "UnparseableSchedule",
                    "unparseable schedule: \"" + cronJob.getSpec().getSchedule() + "\" : " + e.getMessage()));
            return new CronJobPlan(status, null, null, deletions, events, null);
        }
        ZonedDateTime zonedNow = now.atZone(zone);
        ZonedDateTime nextRun = schedule.next(zonedNow);
        Duration requeue = nextRun == null ? null
                : Duration.between(now, nextRun.toInstant()).plus(NEXT_SCHEDULE_DELTA);

        Missed missed = mostRecentScheduleTime(cronJob, schedule, zonedNow);
        if (missed.count() > TOO_MANY_MISSED) {
            events.add(new JobPlan.JobEvent(true, "TooManyMissedTimes", "too many missed start times: "
                    + missed.count() + ". Set or decrease .spec.startingDeadlineSeconds or check clock skew"));
        }
        ZonedDateTime scheduled = missed.latest();
        if (scheduled == null) {
            return new CronJobPlan(status, null, null, deletions, events, requeue);
        }
        Long deadline = cronJob.getSpec().getStartingDeadlineSeconds();
        if (deadline != null && scheduled.toInstant().plusSeconds(deadline).isBefore(now)) {
            events.add(new JobPlan.JobEvent(false, "MissSchedule", "Missed scheduled time to start a job: "
                    + scheduled.format(DateTimeFormatter.RFC_1123_DATE_TIME)));
            return new CronJobPlan(status, null, null, deletions, events, requeue);
        }
        String name = jobName(cronJob, scheduled.toInstant());
        Instant lastScheduled = Times.parse(status.getLastScheduleTime());
        if (active.stream().anyMatch(r -> name.equals(r.getName()))
                || scheduled.toInstant().equals(lastScheduled)) {
            return new CronJobPlan(status, null, null, deletions, events, requeue);
        }
        String policy = cronJob.getSpec().getConcurrencyPolicy() == null ? "Allow"
                : cronJob.getSpec().getConcurrencyPolicy();
        if ("Forbid".equals(policy) && !active.isEmpty()) {
            events.add(new JobPlan.JobEvent(false, "JobAlreadyActive",
                    "Not starting job because prior execution is running and concurrency policy is Forbid"));
            return new CronJobPlan(status, null, null, deletions, events, requeue);
        }
        if ("Replace".equals(policy)) {
            for (ObjectReference ref : active) {
                jobs.stream().filter(j -> Objects.equals(j.getMetadata().getUid(), ref.getUid())).findFirst()
                        .filter(j -> !deletions.contains(j)).ifPresent(j -> {
                            deletions.add(j);
                            events.add(new JobPlan.JobEvent(false, "SuccessfulDelete",
                                    "Deleted job " + j.getMetadata().getName()));
                        });
            }
            status.setActive(new ArrayList<>());
        }
        return new CronJobPlan(status, jobFromTemplate(cronJob, scheduled), scheduled.toInstant(), deletions,
                events, requeue);
    }

    /** Upstream's {@code getJobName}: the CronJob's name and the schedule time in minutes since the epoch. */
    public static String jobName(CronJob cronJob, Instant scheduled) {
        return cronJob.getMetadata().getName() + "-" + scheduled.getEpochSecond() / 60;
    }

    /** Upstream's {@code getJobFromTemplate2}: the template's labels, annotations and spec, owned by the CronJob. */
    static Job jobFromTemplate(CronJob cronJob, ZonedDateTime scheduled) {
        JobTemplateSpec template = cronJob.getSpec().getJobTemplate();
        Map<String, String> labels = new HashMap<>(template.getMetadata() == null
                || template.getMetadata().getLabels() == null ? Map.of() : template.getMetadata().getLabels());
        Map<String, String> annotations = new HashMap<>(template.getMetadata() == null
                || template.getMetadata().getAnnotations() == null ? Map.of()
                : template.getMetadata().getAnnotations());
        annotations.put(SCHEDULED_TIMESTAMP, scheduled.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        return new JobBuilder()
                .withNewMetadata()
                .withName(jobName(cronJob, scheduled.toInstant()))
                .withNamespace(cronJob.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("CronJob")
                        .withName(cronJob.getMetadata().getName()).withUid(cronJob.getMetadata().getUid())
                        .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withSpec(template.getSpec())
                .build();
    }

    /** The reference a created Job gets in {@code status.active}. */
    static ObjectReference reference(Job job) {
        return new ObjectReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                .withNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                .withUid(job.getMetadata().getUid()).withResourceVersion(job.getMetadata().getResourceVersion())
                .build();
    }

    /** The latest schedule time not yet run (or {@code null}) and how many were due since the last run. */
    record Missed(ZonedDateTime latest, int count) {
    }

    /**
     * Upstream's {@code mostRecentScheduleTime}: the schedule times after the last run (or the CronJob's creation),
     * no earlier than {@code startingDeadlineSeconds} ago, up to now. Walks the times one by one, so a frequent
     * schedule idle for long costs a loop per missed time (upstream has a shortcut for regular intervals).
     */
    static Missed mostRecentScheduleTime(CronJob cronJob, CronSchedule schedule, ZonedDateTime now) {
        Instant earliest = Times.parse(cronJob.getStatus() == null ? null : cronJob.getStatus().getLastScheduleTime());
        if (earliest == null) {
            earliest = Times.parse(cronJob.getMetadata().getCreationTimestamp());
        }
        if (earliest == null) {
            earliest = now.toInstant();
        }
        Long deadline = cronJob.getSpec().getStartingDeadlineSeconds();
        if (deadline != null) {
            Instant notBefore = now.toInstant().minusSeconds(deadline);
            if (notBefore.isAfter(earliest)) {
                earliest = notBefore;
            }
        }
        if (earliest.isAfter(now.toInstant())) {
            return new Missed(null, 0);
        }
        ZonedDateTime latest = null;
        int count = 0;
        for (ZonedDateTime t = schedule.next(earliest.atZone(now.getZone())); t != null && !t.isAfter(now);
             t = schedule.next(t)) {
            latest = t;
            count++;
        }
        return new Missed(latest, count);
    }

    /** Upstream's {@code cleanupFinishedJobs}: removes the oldest finished Jobs beyond the history limits. */
    private static void cleanupFinished(CronJob cronJob, List<Job> jobs, List<Job> deletions,
                                        List<JobPlan.JobEvent> events) {
        Integer successfulLimit = cronJob.getSpec().getSuccessfulJobsHistoryLimit();
        Integer failedLimit = cronJob.getSpec().getFailedJobsHistoryLimit();
        List<Job> succeeded = new ArrayList<>();
        List<Job> failed = new ArrayList<>();
        for (Job job : jobs) {
            if (JobConditions.isTrue(job.getStatus(), JobConditions.COMPLETE)) {
                succeeded.add(job);
            } else if (JobConditions.isTrue(job.getStatus(), JobConditions.FAILED)) {
                failed.add(job);
            }
        }
        removeOldest(successfulLimit, succeeded, deletions, events);
        removeOldest(failedLimit, failed, deletions, events);
    }

    private static void removeOldest(Integer limit, List<Job> finished, List<Job> deletions,
                                     List<JobPlan.JobEvent> events) {
        if (limit == null || finished.size() <= limit) {
            return;
        }
        // Upstream orders by status.startTime (Jobs without one first), then by name.
        finished.sort(Comparator.comparing((Job j) -> j.getStatus() == null || j.getStatus().getStartTime() == null
                        ? Instant.MIN : Objects.requireNonNullElse(Times.parse(j.getStatus().getStartTime()),
                        Instant.MIN))
                .thenComparing(j -> j.getMetadata().getName()));
        for (Job job : finished.subList(0, finished.size() - limit)) {
            deletions.add(job);
            events.add(new JobPlan.JobEvent(false, "SuccessfulDelete", "Deleted job " + job.getMetadata().getName()));
        }
    }
}
