package dev.skiff.storage.etcd;

import dev.skiff.storage.WatchEnd;
import dev.skiff.storage.WatchEvent;
import dev.skiff.storage.WatchListener;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls one {@link WatchListener} from one thread at a time, in the order items were handed in.
 *
 * <p>jetcd calls its watch listeners on the gRPC event loop, which all watches of a client share. Handing events
 * over to a queue drained on our own (virtual) thread keeps a slow listener from stalling every other watch and
 * from holding jetcd's internal locks, and gives us the one-at-a-time guarantee regardless of which thread jetcd
 * happens to use. At most one drain runs at a time; a drain empties the queue and re-checks before it stops, so
 * nothing handed in is ever left behind.
 */
final class SerialDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(SerialDelivery.class);

    private record Progress(long revision) {
    }

    private final WatchListener listener;
    private final Executor executor;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    SerialDelivery(WatchListener listener, Executor executor) {
        this.listener = listener;
        this.executor = executor;
    }

    void event(WatchEvent event) {
        queue.add(event);
        schedule();
    }

    /** Queues a progress mark: it reaches the listener after every event queued before it. */
    void progress(long revision) {
        queue.add(new Progress(revision));
        schedule();
    }

    /** Queues the end. The caller guarantees it hands in exactly one end, and nothing after it. */
    void end(WatchEnd end) {
        queue.add(end);
        schedule();
    }

    private void schedule() {
        if (draining.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        do {
            Object item;
            while ((item = queue.poll()) != null) {
                deliver(item);
            }
            draining.set(false);
            // An item added after our last poll but before the flag dropped found draining=true and relied on us.
        } while (!queue.isEmpty() && draining.compareAndSet(false, true));
    }

    private void deliver(Object item) {
        try {
            switch (item) {
                case WatchEvent event -> listener.onEvent(event);
                case Progress progress -> listener.onProgress(progress.revision());
                case WatchEnd end -> listener.onEnd(end);
                default -> throw new IllegalStateException("unexpected item " + item);
            }
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            // A listener bug (an exception, a failed assertion, a class built against another SPI) must not end
            // delivery to it silently: it is logged, and the listener still gets every later item.
            LOG.warn("watch listener {} threw on {}", listener, item, e);
        }
    }
}
