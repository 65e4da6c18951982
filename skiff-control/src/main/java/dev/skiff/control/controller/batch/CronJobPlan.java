package dev.skiff.control.controller.batch;

import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one CronJob sync decided: the status to write (before the planned creation: the controller adds the
 * created Job to {@code active} and sets {@code lastScheduleTime} once the create succeeded), the Job to create
 * for a due schedule time, Jobs to delete (Replace policy, history limits), Events, and when the next schedule
 * time is due.
 *
 * @param create       the Job to create, or {@code null}
 * @param scheduledFor the schedule time {@code create} runs for, or {@code null}
 * @param requeueAfter when to sync again (the next schedule time), or {@code null} (suspended, unparseable)
 */
public record CronJobPlan(CronJobStatus status, Job create, Instant scheduledFor, List<Job> deletions,
                          List<JobPlan.JobEvent> events, Duration requeueAfter) {

    public CronJobPlan {
        deletions = List.copyOf(deletions);
        events = List.copyOf(events);
    }
}
