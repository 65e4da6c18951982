package dev.skiff.control.scheduler.loop;

import java.time.Duration;

/**
 * Tuning of the scheduling loop.
 *
 * @param maxBatch     the most pods decided in one cycle (a cycle holds the scheduling thread; informer deltas wait
 *                     for the next one)
 * @param retryInitial the first delay before an unschedulable pod or a failed binding is tried again (upstream's
 *                     {@code podInitialBackoffDuration}, 1 s)
 * @param retryMax     the cap of the doubling delay (upstream's {@code podMaxBackoffDuration} is 10 s; unschedulable
 *                     pods are also retried at once when a node is added or changes)
 */
public record LoopConfig(int maxBatch, Duration retryInitial, Duration retryMax) {

    public LoopConfig {
        if (maxBatch < 1 || retryInitial.isNegative() || retryInitial.isZero()
                || retryMax.compareTo(retryInitial) < 0) {
            throw new IllegalArgumentException("maxBatch >= 1, retryInitial > 0 and retryMax >= retryInitial");
        }
    }

    public static LoopConfig defaults() {
        return new LoopConfig(2_000, Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    /** The delay before attempt {@code attempts + 1}, doubling from {@link #retryInitial} up to {@link #retryMax}. */
    Duration backoff(int attempts) {
        Duration d = retryInitial;
        for (int i = 1; i < attempts && d.compareTo(retryMax) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(retryMax) > 0 ? retryMax : d;
    }
}
