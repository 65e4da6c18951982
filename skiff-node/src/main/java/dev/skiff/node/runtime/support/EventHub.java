package dev.skiff.node.runtime.support;

import dev.skiff.node.runtime.InstanceEvent;
import dev.skiff.node.runtime.InstanceListener;
import dev.skiff.node.runtime.Subscription;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans a runtime's {@link InstanceEvent}s out to its subscribers without ever blocking the runtime: publishing only
 * appends to one unbounded queue per subscriber; a drain task on the notification executor delivers each queue,
 * one drain per subscriber at a time, so each listener is called serially and in publication order.
 *
 * <p>Thread-safe. A runtime keeps per-instance order by publishing an instance's events while holding that
 * instance's lock (publishing is cheap and never calls a listener). A slow listener only lets its own queue grow;
 * whether it also holds up others depends on the executor, so runtimes use one that does not run out of threads
 * (virtual threads).
 */
public final class EventHub implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

    /** Events delivered per drain before yielding the executor thread to other subscribers' drains. */
    private static final int BATCH = 256;

    private final Executor executor;
    private final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public EventHub(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** Registers a listener for events published from now on. */
    public Subscription subscribe(InstanceListener listener) {
        Objects.requireNonNull(listener, "listener");
        Subscriber subscriber = new Subscriber(listener);
        subscribers.add(subscriber);
        if (closed) {
            subscriber.cancel();
        }
        return subscriber;
    }

    /** Queues an event for every current subscriber. Never blocks, never calls a listener. */
    public void publish(InstanceEvent event) {
        for (Subscriber subscriber : subscribers) {
            subscriber.enqueue(event);
        }
    }

    /** Whether anybody listens (lets a runtime skip building events nobody will read). */
    public boolean hasSubscribers() {
        return !subscribers.isEmpty();
    }

    /** Cancels every subscription; queued events are dropped. Idempotent. */
    @Override
    public void close() {
        closed = true;
        subscribers.forEach(Subscriber::cancel);
    }

    private final class Subscriber implements Subscription {
        private final InstanceListener listener;
        private final Queue<InstanceEvent> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private volatile boolean cancelled;

        Subscriber(InstanceListener listener) {
            this.listener = listener;
        }

        void enqueue(InstanceEvent event) {
            if (!cancelled) {
                queue.offer(event);
                signal();
            }
        }

        private void signal() {
            if (scheduled.compareAndSet(false, true)) {
                try {
                    executor.execute(this::drain);
                } catch (RejectedExecutionException e) {
                    // The executor is shutting down with the runtime: nothing will be delivered any more.
                    scheduled.set(false);
                    cancel();
                }
            }
        }

        private void drain() {
            int delivered = 0;
            InstanceEvent event;
            while (!cancelled && delivered < BATCH && (event = queue.poll()) != null) {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.warn("instance listener {} failed on {}; continuing", listener, event, e);
                }
                delivered++;
            }
            scheduled.set(false);
            // An event offered after the last poll found the flag still set and did not schedule: look again.
            if (!cancelled && !queue.isEmpty()) {
                signal();
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            subscribers.remove(this);
            queue.clear();
        }
    }
}
