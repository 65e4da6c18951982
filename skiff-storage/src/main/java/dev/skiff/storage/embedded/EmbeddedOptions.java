package dev.skiff.storage.embedded;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the embedded engine.
 *
 * @param clock              wall clock for TTL deadlines (injected so tests can control expiry)
 * @param syncWrites         whether each commit is synced to disk before it is acknowledged; only benchmarks of the
 *                           engine's own overhead turn this off
 * @param maxBatchOps        most writes committed in one group
 * @param eventRingSize      recent events kept in memory for watches (older ones are re-read from disk)
 * @param ttlCheckInterval   how often expired keys are looked for
 * @param blockCacheBytes    RocksDB block cache size
 */
public record EmbeddedOptions(
        Clock clock,
        boolean syncWrites,
        int maxBatchOps,
        int eventRingSize,
        Duration ttlCheckInterval,
        long blockCacheBytes) {

    public EmbeddedOptions {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(ttlCheckInterval, "ttlCheckInterval");
        if (maxBatchOps < 1) {
            throw new IllegalArgumentException("maxBatchOps must be at least 1, was " + maxBatchOps);
        }
        if (eventRingSize < 16 || Integer.bitCount(eventRingSize) != 1) {
            throw new IllegalArgumentException("eventRingSize must be a power of two >= 16, was " + eventRingSize);
        }
    }

    /** Durable defaults for a server. */
    public static EmbeddedOptions defaults() {
        return new EmbeddedOptions(Clock.systemUTC(), true, 2048, 1 << 14, Duration.ofMillis(250), 128L << 20);
    }

    public EmbeddedOptions withClock(Clock newClock) {
        return new EmbeddedOptions(newClock, syncWrites, maxBatchOps, eventRingSize, ttlCheckInterval,
                blockCacheBytes);
    }

    public EmbeddedOptions withEventRingSize(int size) {
        return new EmbeddedOptions(clock, syncWrites, maxBatchOps, size, ttlCheckInterval, blockCacheBytes);
    }

    public EmbeddedOptions withTtlCheckInterval(Duration interval) {
        return new EmbeddedOptions(clock, syncWrites, maxBatchOps, eventRingSize, interval, blockCacheBytes);
    }
}
