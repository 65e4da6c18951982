package dev.skiff.node.agent;

import io.fabric8.kubernetes.api.model.Event;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's event pipeline, shaped like client-go's broadcaster behind the kubelet's recorder: events are
 * queued (at most {@link Limits#queue}; beyond that they are dropped, as the broadcaster's
 * {@code DropIfChannelFull} queue of 1,000 does), and a few writer threads send them through a token bucket (the
 * kubelet's event client is limited to {@code eventRecordQPS}/{@code eventBurst}, 50/100 by default). So a burst of
 * pods never turns into thousands of concurrent event writes competing with the pods' status writes: events are
 * the first thing shed under load, statuses never are.
 *
 * <p>Thread-safe: {@link #offer} never blocks; the writers are the broadcaster's own virtual threads, stopped by
 * {@link #close()} (queued events are then dropped, as a stopping kubelet's are).
 */
final class EventBroadcaster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventBroadcaster.class);

    /**
     * @param queue   events waiting to be written before new ones are dropped
     * @param writers concurrent writes
     * @param qps     the sustained write rate
     * @param burst   writes allowed at once after a quiet period
     */
    record Limits(int queue, int writers, double qps, int burst) {

        Limits {
            if (queue < 1 || writers < 1 || qps <= 0 || burst < 1) {
                throw new IllegalArgumentException("every limit must be positive");
            }
        }

        /** The kubelet's defaults: client-go's 1,000-event queue, 50 QPS with a burst of 100. */
        static Limits kubelet() {
            return new Limits(1_000, 4, 50, 100);
        }
    }

    private final BlockingQueue<Event> queue;
    private final Consumer<Event> writer;
    private final TokenBucket bucket;
    private final Thread[] writers;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param writer writes one event, blocking; a failure it throws is logged and the event dropped (client-go
     *               gives up on an event after a few attempts too)
     */
    EventBroadcaster(String name, Limits limits, Clock clock, Consumer<Event> writer) {
        this.queue = new ArrayBlockingQueue<>(limits.queue());
        this.writer = writer;
        this.bucket = new TokenBucket(limits.qps(), limits.burst(), clock);
        this.writers = new Thread[limits.writers()];
        for (int i = 0; i < writers.length; i++) {
            writers[i] = Thread.ofVirtual().name(name + "-events-" + i).start(this::work);
        }
    }

    /** Queues the event for writing; returns false if it was dropped (queue full or closed). */
    boolean offer(Event event) {
        if (closed || !queue.offer(event)) {
            long n = dropped.incrementAndGet();
            if (n == 1 || n % 1_000 == 0) {
                LOG.info("event queue full: {} events dropped so far (latest {} on {})", n, event.getReason(),
                        event.getInvolvedObject().getName());
            }
            return false;
        }
        return true;
    }

    /** How many events were dropped since the start. */
    long dropped() {
        return dropped.get();
    }

    private void work() {
        try {
            while (!closed) {
                Event event = queue.poll(1, TimeUnit.SECONDS);
                if (event == null) {
                    continue;
                }
                long wait = bucket.reserve();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                try {
                    writer.accept(event);
                } catch (RuntimeException e) {
                    LOG.debug("event {} on {} dropped: {}", event.getReason(), event.getInvolvedObject().getName(),
                            e.toString());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : writers) {
            t.interrupt();
        }
        queue.clear();
    }
}
