package dev.skiff.apiserver.cache;

import dev.skiff.apiserver.registry.ObjectEvent;
import dev.skiff.apiserver.selection.Selection;
import java.util.List;
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
    private final boolean bookmarks;
    private final BlockingQueue<CacheEvent> queue;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile boolean tooSlow;
    /** The revision the client has seen everything up to; only bookmarks beyond it are worth sending. */
    private long seen;

    CacheWatcher(String namespace, Selection filter, CacheSink sink, boolean bookmarks, int capacity) {
        this.namespace = namespace;
        this.filter = filter;
        this.sink = sink;
        this.bookmarks = bookmarks;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * Starts delivering: first {@code backlog} (a snapshot or a replay), then, if {@code initialEventsEnd} is not
     * negative, the bookmark that ends a snapshot, then whatever is offered. {@code startRevision} is what the client
     * has seen once the backlog is through. Returns false if the watcher had already been started or stopped.
     */
    boolean start(List<CacheEvent> backlog, long startRevision, long initialEventsEnd, Runnable onFinished) {
        if (!started.compareAndSet(false, true)) {
            return false;
        }
        if (stopped.get()) {
            onFinished.run();
            sink.ended(false);
            return false;
        }
        Thread.ofVirtual().name("skiff-cache-watch").start(() -> {
            try {
                for (CacheEvent event : backlog) {
                    if (stopped.get() || !deliver(event)) {
                        return;
                    }
                }
                seen = Math.max(seen, startRevision);
                if (initialEventsEnd >= 0 && !sink.bookmark(initialEventsEnd, true)) {
                    return;
                }
                while (true) {
                    // Everything already queued goes out in one write: a watcher that fell behind catches up with
                    // one HTTP/2 frame and TLS record instead of one per event.
                    CacheEvent event = queue.poll();
                    if (event == null) {
                        if (!sink.flush()) {
                            break;
                        }
                        event = queue.take();
                    }
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
        return true;
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

    /** Queues a bookmark at {@code revision} if this watch wants bookmarks and has room; never ends the watch. */
    void offerBookmark(long revision) {
        if (bookmarks && !stopped.get()) {
            queue.offer(new CacheEvent(ObjectEvent.Type.BOOKMARK, null, null, revision));
        }
    }

    /** Stops the watch; returns true if it had never been started (the caller then releases it). */
    boolean stop() {
        if (!stopped.getAndSet(true)) {
            queue.clear();
            queue.offer(STOP);
        }
        return !started.get();
    }

    /** Translates an event through this watch's filter, as a filtered upstream watch does, and sends it. */
    private boolean deliver(CacheEvent event) {
        if (event.type() == ObjectEvent.Type.BOOKMARK) {
            // Upstream's cacheWatcher sends a bookmark only when it moves the client forward.
            if (event.revision() <= seen) {
                return true;
            }
            seen = event.revision();
            return sink.bookmark(event.revision(), false);
        }
        seen = Math.max(seen, event.revision());
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
