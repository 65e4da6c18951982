package dev.skiff.control.controller;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events written behind the work that records them (the scheduler's bindings, a controller's creates): each is
 * handed to the write executor as a task of its own, so the recording thread goes on instead of waiting for the
 * event's round trip, and while {@link #MAX_PENDING} are queued or in flight further events are dropped, as
 * client-go's event broadcaster drops beyond its 1,000-event queue. Events are best effort upstream too: nothing
 * waits for one.
 *
 * <p>Thread-safe; {@link #submit} never blocks.
 */
public final class EventQueue {

    private static final Logger LOG = LoggerFactory.getLogger(EventQueue.class);
    public static final int MAX_PENDING = 1_000;

    private final Executor writes;
    private final Semaphore pending;

    public EventQueue(Executor writes, int maxPending) {
        this.writes = writes;
        this.pending = new Semaphore(maxPending);
    }

    /** Runs {@code write} on the write executor unless too many events are pending; returns whether it was queued. */
    public boolean submit(Runnable write) {
        if (!pending.tryAcquire()) {
            LOG.debug("event queue full; an event is dropped");
            return false;
        }
        try {
            writes.execute(() -> {
                try {
                    write.run();
                } finally {
                    pending.release();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            pending.release();
            return false;
        }
    }
}
