package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.registry.ObjectEvent;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.storage.Watch;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client watch served by a storage watch of its own, for when the cache cannot serve it: the cache is loading,
 * cannot prove it is as fresh as a consistent watch needs, or no longer holds the history a resumed watch asks for
 * (after a restart its window starts at the restart; storage keeps history until compaction, so a client resuming
 * from a resourceVersion taken before the restart still receives exactly the events after it).
 *
 * <p>Bookmarks report what storage has delivered: the latest event, or storage's progress when the latest writes
 * were elsewhere. An event and the revision it advances are updated under one lock, so a bookmark never reports
 * less than an event already written.
 */
final class StorageWatchStream implements AutoCloseable {

    private final WatchEncoder encoder;
    private final ReentrantLock lock = new ReentrantLock();
    private final CompletableFuture<ApiException> ended = new CompletableFuture<>();
    private long seen;
    private long reported;
    private Watch watch;

    private StorageWatchStream(WatchEncoder encoder, long startRevision) {
        this.encoder = encoder;
        this.seen = startRevision;
        this.reported = startRevision;
    }

    /**
     * Sends {@code initial} as ADDED events (and, if {@code endBookmark}, the initial-events-end bookmark at
     * {@code afterRevision}), then follows storage after {@code afterRevision}. Returns null if the client left while
     * the initial state was being sent.
     */
    static StorageWatchStream start(WatchEncoder encoder, ObjectStore store, ResourceType type, String namespace,
            ListQuery query, List<ObjectNode> initial, boolean endBookmark, long afterRevision) {
        StorageWatchStream session = new StorageWatchStream(encoder, afterRevision);
        for (ObjectNode object : initial) {
            if (!encoder.event("ADDED", object)) {
                return null;
            }
        }
        if (endBookmark && !encoder.bookmark(afterRevision, true)) {
            return null;
        }
        session.watch = store.watch(type, namespace, afterRevision, query.filter(), session::event,
                session.ended::complete, session::progress);
        return session;
    }

    /** Completes when storage ends the watch: with the failure to report (410 when compacted), or null. */
    CompletableFuture<ApiException> ended() {
        return ended;
    }

    private void event(ObjectEvent event) {
        lock.lock();
        try {
            if (!encoder.event(event.type().name(), event.object())) {
                ended.complete(null);
                return;
            }
            seen = Math.max(seen, event.revision());
            reported = seen;
        } finally {
            lock.unlock();
        }
    }

    private void progress(long revision) {
        lock.lock();
        try {
            seen = Math.max(seen, revision);
        } finally {
            lock.unlock();
        }
    }

    /** Sends a bookmark if storage has moved past what the client has been told; called when one is due. */
    void bookmark() {
        lock.lock();
        try {
            if (seen > reported) {
                if (!encoder.bookmark(seen, false)) {
                    ended.complete(null);
                    return;
                }
                reported = seen;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.cancel();
        }
    }
}
