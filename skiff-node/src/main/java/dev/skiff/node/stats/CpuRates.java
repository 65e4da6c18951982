package dev.skiff.node.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns cumulative CPU time into a rate, as the kubelet's CRI stats provider does for {@code usageNanoCores}: the
 * previous sample of each container attempt is kept, and the rate is the CPU time used between two samples divided
 * by the time between them. The first sample of an attempt has no rate; a sample at the same instant as the
 * previous one repeats the last rate. Samples unseen for {@link #FORGET_AFTER} are dropped. Thread-safe.
 */
final class CpuRates {

    /** Long enough to outlive several housekeeping intervals, short enough that removed pods do not pile up. */
    static final Duration FORGET_AFTER = Duration.ofMinutes(5);

    private record Sample(Instant time, long coreNanoSeconds, Long rate) {
    }

    private final Map<String, Sample> samples = new HashMap<>();

    /**
     * Records a sample and answers the rate in nanocores since the previous one, or null when there is none.
     *
     * @param key the container attempt (pod UID, container name and attempt start)
     */
    synchronized Long sample(String key, Instant time, long coreNanoSeconds) {
        Sample previous = samples.get(key);
        Long rate = null;
        if (previous != null) {
            long elapsed = Duration.between(previous.time(), time).toNanos();
            long used = coreNanoSeconds - previous.coreNanoSeconds();
            if (elapsed > 0 && used >= 0) {
                // nanoseconds of CPU per second of wall time = nanocores
                rate = (long) (used * 1e9 / elapsed);
            } else if (elapsed == 0) {
                rate = previous.rate();
            }
        }
        if (previous == null || !time.isBefore(previous.time())) {
            samples.put(key, new Sample(time, coreNanoSeconds, rate));
        }
        return rate;
    }

    /** Drops the samples older than {@link #FORGET_AFTER} before {@code now}. */
    synchronized void forgetBefore(Instant now) {
        Instant limit = now.minus(FORGET_AFTER);
        samples.values().removeIf(s -> s.time().isBefore(limit));
    }
}
