package dev.skiff.apiserver.cache;

import dev.skiff.apiserver.registry.ObjectEvent;
import dev.skiff.apiserver.selection.Selection;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client watch served from the cache: the cache offers it events without ever blocking (a full queue means
 * the client is too slow and the watch ends, as upstream's cacher does), and its own virtual thread hands them to
 * the client's sink in order.
 */
final class CacheWatcher {

    private static final CacheEvent STOP = new CacheEvent(ObjectEvent.Type.BOOKMARK, null, null, -1);

    private final Selection filter;
    private final String namespace;
    private final CacheSink sink;
    private final BlockingQueue<CacheEvent> queue;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile boolean tooSlow;

    CacheWatcher(String namespace, Selection filter, CacheSink sink, int capacity) {
        this.namespace = namespace;
        this.filter = filter;
        this.sink = sink;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Starts delivering: first {@code backlog} (a snapshot or a replay), then whatever is offered. */
    void start(java.util.List<CacheEvent> backlog, Runnable onFinished) {
        Thread.ofVirtual().name("skiff-cache-watch").start(() -> {
            try {
                for (CacheEvent event : backlog) {
                    if (stopped.get() || !deliver(event)) {
                        return;
                    }
                }
                while (true) {
                    CacheEvent event = queue.take();
                    if (event == STOP || !deliver(event)) {
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stopped.set(true);
                onFinished.run();
                sink.ended(tooSlow);
            }
        });
    }

    /** Queues an event without blocking; ends the watch if the client has fallen too far behind. */
    void offer(CacheEvent event) {
        if (stopped.get()) {
            return;
        }
        if (!queue.offer(event)) {
            tooSlow = true;
            stop();
        }
    }

    void stop() {
        if (!stopped.get()) {
            queue.clear();
            queue.offer(STOP);
        }
    }

    /** Translates an event through this watch's filter, as a filtered upstream watch does, and sends it. */
    private boolean deliver(CacheEvent event) {
        boolean isIn = event.type() != ObjectEvent.Type.DELETED && visible(event.current());
        boolean wasIn = event.previous() != null && visible(event.previous());
        if (event.type() == ObjectEvent.Type.DELETED) {
            return !wasIn || sink.send(ObjectEvent.Type.DELETED, event.current(), event.revision());
        }
        if (isIn) {
            return sink.send(wasIn ? ObjectEvent.Type.MODIFIED : ObjectEvent.Type.ADDED, event.current(),
                    event.revision());
        }
        return !wasIn || sink.send(ObjectEvent.Type.DELETED, event.current(), event.revision());
    }

    boolean visible(CachedObject object) {
        return (namespace.isEmpty() || namespace.equals(object.namespace()))
                && filter.matches(object.labels(), object.fields());
    }
}
