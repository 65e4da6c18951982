package dev.skiff.storage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic compaction of any {@link Backend}: keeps about {@code retention} of history and discards the rest.
 *
 * <p>Like kube-apiserver's compactor (which compacts etcd every five minutes), it samples the current revision on
 * every tick and compacts to the newest sample that is older than the retention. Engine-independent, so the same
 * policy applies to the embedded store and to etcd. The clock and executor are injected so tests drive it.
 */
public final class Compactor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    private record Sample(Instant at, long revision) {
    }

    private final Backend backend;
    private final Clock clock;
    private final Duration retention;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private ScheduledFuture<?> task;

    public Compactor(Backend backend, Clock clock, Duration retention) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, was " + retention);
        }
        this.retention = retention;
    }

    /** Runs {@link #tick()} every {@code interval} on {@code executor} until closed. */
    public synchronized Compactor start(ScheduledExecutorService executor, Duration interval) {
        if (task != null) {
            throw new IllegalStateException("compactor already started");
        }
        long millis = interval.toMillis();
        task = executor.scheduleWithFixedDelay(this::tickSafely, millis, millis, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Samples the current revision and compacts to the newest sample older than the retention, if any.
     * Returns the revision compacted to, or 0 when nothing was due. Thread-safe.
     */
    public synchronized long tick() {
        Instant now = clock.instant();
        samples.addLast(new Sample(now, backend.currentRevision()));
        Instant horizon = now.minus(retention);
        Sample due = null;
        while (!samples.isEmpty() && !samples.peekFirst().at().isAfter(horizon)) {
            due = samples.pollFirst();
        }
        if (due == null || due.revision() <= backend.compactRevision()) {
            return 0;
        }
        backend.compact(due.revision());
        LOG.debug("compacted storage history to revision {}", due.revision());
        return due.revision();
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warn("automatic compaction failed; will retry on the next tick", e);
        }
    }

    @Override
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }
}
