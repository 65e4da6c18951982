package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.cache.CacheSink;
import dev.skiff.apiserver.cache.CacheWatch;
import dev.skiff.apiserver.cache.CachedObject;
import dev.skiff.apiserver.cache.WatchCache;
import dev.skiff.apiserver.cache.WatchCaches;
import dev.skiff.apiserver.cache.WatchStart;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.registry.ObjectEvent;
import dev.skiff.apiserver.registry.ObjectList;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.table.TableWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Streams a watch as kube-apiserver v1.32 does (chunked JSON lines, see {@link WatchEncoder}).
 *
 * <p>Where it starts, after upstream's checks ({@link ListOptionsValidation}) and defaulting (WatchList on):
 * <ul>
 *   <li>{@code sendInitialEvents=true} — and, by default, resourceVersion "" or "0" — the current state as synthetic
 *       ADDED events from a snapshot ("": consistent with storage; "0": any; N: not older than N), then, if the client
 *       allows bookmarks, a BOOKMARK annotated {@code k8s.io/initial-events-end}, then the changes;</li>
 *   <li>{@code sendInitialEvents=false}: only the changes ("": from storage's current revision; "0": from the cache's;
 *       N: after N);</li>
 *   <li>resourceVersion N alone: exactly the changes after N; if they have been compacted, one ERROR event with a
 *       410 Status {@code too old resource version: N (M)}.</li>
 * </ul>
 * With {@code allowWatchBookmarks=true} a BOOKMARK follows every bookmark interval (and 2 s before the timeout) when
 * storage has moved on, even through writes to other resources. The watch ends cleanly after {@code timeoutSeconds}
 * (default: a random 30–60 minutes), when the client goes away, or when it reads too slowly for too long.
 *
 * <p>The watch cache serves it when it can; otherwise a storage watch of its own ({@link StorageWatchStream}).
 */
final class WatchStreamer {

    private final ObjectStore store;
    private final WatchCaches caches;
    private final ObjectMapper json;
    private final TableWriter tables;

    WatchStreamer(ObjectStore store, WatchCaches caches, ObjectMapper json, TableWriter tables) {
        this.store = store;
        this.caches = caches;
        this.json = json;
        this.tables = tables;
    }

    void stream(Exchange exchange, ResourceType type, String namespace, ListQuery query) {
        ListOptionsValidation.checkWatch(query);
        boolean initial = ListOptionsValidation.sendsInitialEvents(query);
        WatchCache cache = caches.forType(type).orElse(null);
        if (cache != null && streamFromCache(exchange, cache, type, namespace, query, initial)) {
            return;
        }
        streamFromStorage(exchange, type, namespace, query, initial);
    }

    /** The usual path: one cache fans events out to every watcher. Returns false to leave it to storage. */
    private boolean streamFromCache(Exchange exchange, WatchCache cache, ResourceType type, String namespace,
            ListQuery query, boolean initial) {
        String rv = query.resourceVersion();
        WatchStart start;
        if (rv.isEmpty()) {
            // Consistent: the cache must have applied everything storage has committed, or storage serves it.
            long current = store.currentRevision();
            if (!cache.awaitRevision(current, WatchCache.freshnessBudget())) {
                return false;
            }
            start = initial ? new WatchStart.Snapshot(current) : new WatchStart.After(current);
        } else if (rv.equals("0")) {
            start = initial ? new WatchStart.Snapshot(0) : new WatchStart.Latest();
        } else {
            long revision = ListQuery.revision(rv);
            start = initial ? new WatchStart.Snapshot(revision) : new WatchStart.After(revision);
        }
        Sink sink = new Sink();
        CacheWatch watch;
        try {
            watch = cache.register(namespace, query.filter(), start, query.allowBookmarks(), sink);
        } catch (ApiException e) {
            if (e.code() == 410 && start instanceof WatchStart.After) {
                // Older than the cache's window (for instance from before a restart): storage may still have it.
                return false;
            }
            // As kube-apiserver's cacher: the watch opens, then reports the failure as an ERROR event.
            WatchEncoder encoder = open(exchange, type);
            encoder.error(e);
            encoder.stream().end();
            return true;
        }
        WatchEncoder encoder;
        try {
            encoder = open(exchange, type);
        } catch (RuntimeException e) {
            watch.stop(); // registered but never started: release it
            throw e;
        }
        sink.encoder = encoder;
        watch.start();
        try {
            timer(query).await(CompletableFuture.anyOf(sink.ended, encoder.stream().closed()),
                    query.allowBookmarks() ? watch::bookmark : null);
        } finally {
            watch.stop();
            encoder.stream().end();
        }
        return true;
    }

    /** Hands the cache's events to the encoder; set up before the watch starts delivering. */
    private static final class Sink implements CacheSink {

        private final CompletableFuture<Void> ended = new CompletableFuture<>();
        private volatile WatchEncoder encoder;

        @Override
        public boolean send(ObjectEvent.Type type, CachedObject object, long revision) {
            return alive(encoder.held(() -> encoder.event(type.name(), object)));
        }

        @Override
        public boolean bookmark(long revision, boolean initialEventsEnd) {
            return alive(encoder.held(() -> encoder.bookmark(revision, initialEventsEnd)));
        }

        @Override
        public boolean flush() {
            return alive(encoder.flush());
        }

        private boolean alive(boolean written) {
            if (!written) {
                ended.complete(null);
            }
            return written;
        }

        @Override
        public void ended(boolean tooSlow) {
            ended.complete(null);
        }
    }

    /** Without the cache: a storage watch for this client alone. */
    private void streamFromStorage(Exchange exchange, ResourceType type, String namespace, ListQuery query,
            boolean initial) {
        String rv = query.resourceVersion();
        boolean legacy = rv.isEmpty() || rv.equals("0");
        long after;
        List<ObjectNode> state = List.of();
        if (initial) {
            long current = store.currentRevision();
            if (!legacy && ListQuery.revision(rv) > current) {
                WatchEncoder encoder = open(exchange, type);
                encoder.error(WatchCache.tooLargeResourceVersion(ListQuery.revision(rv), current));
                encoder.stream().end();
                return;
            }
            ObjectList list = store.list(type, namespace, 0, null, 0, query.filter());
            state = list.items();
            after = list.revision();
        } else {
            after = legacy ? store.currentRevision() : ListQuery.revision(rv);
        }
        WatchEncoder encoder = open(exchange, type);
        StorageWatchStream session = StorageWatchStream.start(encoder, store, type, namespace, query, state,
                initial && query.allowBookmarks(), after);
        if (session == null) {
            encoder.stream().end();
            return;
        }
        try (session) {
            timer(query).await(CompletableFuture.anyOf(session.ended(), encoder.stream().closed()),
                    query.allowBookmarks() ? session::bookmark : null);
            ApiException failure = session.ended().getNow(null);
            if (failure != null) {
                encoder.error(failure);
            }
        } finally {
            encoder.stream().end();
        }
    }

    private WatchEncoder open(Exchange exchange, ResourceType type) {
        Exchange.Stream stream = exchange.stream(200, Codec.JSON);
        return new WatchEncoder(stream, json, tables, type, TableWriter.wantsTable(exchange.header("Accept")),
                exchange.param("includeObject"));
    }

    private WatchTimer timer(ListQuery query) {
        return new WatchTimer(query.timeoutSeconds(), caches.settings().bookmarkInterval(), System::nanoTime);
    }
}
