package dev.skiff.control.controller.batch;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;

import java.time.Duration;
import java.util.List;

/**
 * What one Job sync decided: the status to write (assuming the creations and deletions succeed), pods to create
 * (a count for NonIndexed Jobs, their completion indexes for Indexed ones), pods to delete, Events to record, and
 * when to look again although no event may arrive (backoff expiry, active deadline).
 *
 * @param creations    how many pods to create (for an Indexed Job, {@code indexes.size()})
 * @param indexes      completion indexes to create pods for; empty for a NonIndexed Job
 * @param recheckAfter when to sync again, or {@code null}
 */
public record JobPlan(JobStatus status, int creations, List<Integer> indexes, List<Pod> deletions,
                      List<JobEvent> events, Duration recheckAfter) {

    public JobPlan {
        indexes = List.copyOf(indexes);
        deletions = List.copyOf(deletions);
        events = List.copyOf(events);
    }

    /** An Event to record about the Job. */
    public record JobEvent(boolean warning, String reason, String message) {
    }
}
