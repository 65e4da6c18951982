package dev.skiff.control.controller;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-key exponential backoff for failed reconciles: mirrors client-go's
 * {@code ItemExponentialFailureRateLimiter} (the controllers' default starts at 5ms and caps at 1000s): the n-th
 * consecutive failure of a key waits {@code base * 2^(n-1)}, capped; {@link #forget} resets a key after a success.
 *
 * <p>Thread-safe.
 */
public final class Backoff<K> {

    private final Duration base;
    private final Duration max;
    private final Map<K, Integer> failures = new HashMap<>();

    public Backoff(Duration base, Duration max) {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= max");
        }
        this.base = base;
        this.max = max;
    }

    /** Upstream's defaults for controllers. */
    public static <K> Backoff<K> defaults() {
        return new Backoff<>(Duration.ofMillis(5), Duration.ofSeconds(1000));
    }

    /** Records one more failure of the key and answers how long to wait before retrying it. */
    public synchronized Duration when(K key) {
        int n = failures.merge(key, 1, Integer::sum);
        // Shift with a cap so 2^n never overflows: past 62 doublings every base is over any sane max.
        int shift = Math.min(n - 1, 62);
        long nanos = base.toNanos();
        if (shift > 0 && nanos > (Long.MAX_VALUE >> shift)) {
            return max;
        }
        Duration wait = Duration.ofNanos(nanos << shift);
        return wait.compareTo(max) > 0 ? max : wait;
    }

    /** Consecutive failures recorded for the key. */
    public synchronized int failures(K key) {
        return failures.getOrDefault(key, 0);
    }

    /** Resets the key after a successful reconcile. */
    public synchronized void forget(K key) {
        failures.remove(key);
    }
}
