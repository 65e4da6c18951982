package dev.skiff.control.controller.batch;

import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.time.Duration;
import java.time.Instant;

/**
 * Upstream's TTL-after-finished rule ({@code pkg/controller/ttlafterfinished}): a finished Job with
 * {@code spec.ttlSecondsAfterFinished} expires that many seconds after it finished (its Complete or Failed
 * condition's transition).
 */
final class TtlAfterFinished {

    private TtlAfterFinished() {
    }

    /**
     * How long until the Job expires (zero or negative: it has), or {@code null} if it never does: no TTL, not
     * finished, or already being deleted.
     */
    static Duration remaining(Job job, Instant now) {
        Integer ttl = job.getSpec() == null ? null : job.getSpec().getTtlSecondsAfterFinished();
        if (ttl == null || job.getMetadata().getDeletionTimestamp() != null) {
            return null;
        }
        Instant finished = JobConditions.finishedAt(job);
        if (finished == null) {
            return null;
        }
        return Duration.between(now, finished.plusSeconds(ttl));
    }
}
