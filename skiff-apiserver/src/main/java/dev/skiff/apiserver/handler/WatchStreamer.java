package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.cache.CacheSink;
import dev.skiff.apiserver.cache.CachedObject;
import dev.skiff.apiserver.cache.WatchCache;
import dev.skiff.apiserver.cache.WatchCaches;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.registry.ObjectEvent;
import dev.skiff.apiserver.registry.ObjectList;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.table.TableWriter;
import dev.skiff.storage.Watch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Streams a watch as kube-apiserver does: one JSON object per line, {@code {"type":..., "object":...}}, over a
 * chunked response. Without a resourceVersion (or with "0") the current objects come first as synthetic ADDED
 * events; a resourceVersion that has been compacted yields a single ERROR event carrying a 410 Status. The watch
 * ends after {@code timeoutSeconds} (default: a random 30–60 minutes, as upstream spreads reconnects), when the
 * client goes away, or when the client reads too slowly for too long.
 */
final class WatchStreamer {

    private static final long SLOW_CLIENT_MILLIS = 30_000;

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
        WatchCache cache = caches.forType(type).orElse(null);
        if (cache != null) {
            streamFromCache(exchange, cache, type, namespace, query);
            return;
        }
        streamFromStorage(exchange, type, namespace, query);
    }

    /** The usual path: one cache fans events out to every watcher of the resource. */
    private void streamFromCache(Exchange exchange, WatchCache cache, ResourceType type, String namespace,
            ListQuery query) {
        boolean asTable = TableWriter.wantsTable(exchange.header("Accept"));
        String includeObject = exchange.param("includeObject");
        String rv = query.resourceVersion();
        Long after = null;
        if (rv.isEmpty()) {
            cache.awaitRevision(store.currentRevision(), WatchCache.freshnessBudget());
        } else if (!rv.equals("0")) {
            after = ListQuery.revision(rv);
        }
        Exchange.Stream stream = exchange.stream(200, Codec.JSON);
        CompletableFuture<Void> ended = new CompletableFuture<>();
        Runnable stop;
        try {
            stop = cache.watch(namespace, query.filter(), after, new CacheSink() {
                @Override
                public boolean send(ObjectEvent.Type eventType, CachedObject object, long revision) {
                    boolean ok = asTable
                            ? sendEvent(stream, eventType.name(), parse(object), type, true, includeObject)
                            : stream.write(rawLine(eventType.name(), object.json()), SLOW_CLIENT_MILLIS);
                    if (!ok) {
                        ended.complete(null);
                    }
                    return ok;
                }

                @Override
                public void ended(boolean tooSlow) {
                    ended.complete(null);
                }
            });
        } catch (ApiException e) {
            // As kube-apiserver's cacher: the watch opens, then reports 410 (or 504) as an ERROR event.
            sendError(stream, e);
            stream.end();
            return;
        }
        awaitEnd(ended, stream, query);
        stop.run();
        stream.end();
    }

    private void awaitEnd(CompletableFuture<?> ended, Exchange.Stream stream, ListQuery query) {
        long timeout = query.timeoutSeconds() > 0
                ? query.timeoutSeconds()
                : ThreadLocalRandom.current().nextLong(1800, 3600);
        try {
            CompletableFuture.anyOf(ended, stream.closed()).get(timeout, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            // The watch ran its course; the client re-watches from the last resourceVersion it saw.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            // ended exceptionally: nothing more to send
        }
    }

    private ObjectNode parse(CachedObject object) {
        try {
            return (ObjectNode) json.readTree(object.json());
        } catch (IOException e) {
            throw ApiException.internal("cannot decode a cached object: " + e.getMessage());
        }
    }

    private static byte[] rawLine(String type, byte[] object) {
        byte[] head = ("{\"type\":\"" + type + "\",\"object\":").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] line = new byte[head.length + object.length + 2];
        System.arraycopy(head, 0, line, 0, head.length);
        System.arraycopy(object, 0, line, head.length, object.length);
        line[line.length - 2] = '}';
        line[line.length - 1] = '\n';
        return line;
    }

    /** Without a cache (it is loading, or reloading): a storage watch for this client alone. */
    private void streamFromStorage(Exchange exchange, ResourceType type, String namespace, ListQuery query) {
        boolean asTable = TableWriter.wantsTable(exchange.header("Accept"));
        String includeObject = exchange.param("includeObject");
        long after;
        List<ObjectNode> initial = List.of();
        if (query.resourceVersion().isEmpty() || query.resourceVersion().equals("0")) {
            ObjectList list = store.list(type, namespace, 0, null, 0, query.filter());
            initial = list.items();
            after = list.revision();
        } else {
            after = ListQuery.revision(query.resourceVersion());
        }
        Exchange.Stream stream = exchange.stream(200, Codec.JSON);
        CompletableFuture<ApiException> ended = new CompletableFuture<>();
        for (ObjectNode object : initial) {
            if (!sendEvent(stream, "ADDED", object, type, asTable, includeObject)) {
                stream.end();
                return;
            }
        }
        Watch watch = store.watch(type, namespace, after, query.filter(), event -> {
            if (!sendEvent(stream, event.type().name(), event.object(), type, asTable, includeObject)) {
                ended.complete(null);
            }
        }, end -> ended.complete(end));
        long timeout = query.timeoutSeconds() > 0
                ? query.timeoutSeconds()
                : ThreadLocalRandom.current().nextLong(1800, 3600);
        try {
            ApiException failure = CompletableFuture.anyOf(ended, stream.closed())
                    .thenApply(x -> ended.getNow(null))
                    .get(timeout, TimeUnit.SECONDS);
            if (failure != null) {
                sendError(stream, failure);
            }
        } catch (TimeoutException e) {
            // The watch ran its course; the client re-watches from the last resourceVersion it saw.
        } catch (Exception e) {
            Thread.currentThread().interrupt();
        } finally {
            watch.cancel();
            stream.end();
        }
    }

    private boolean sendEvent(Exchange.Stream stream, String type, ObjectNode object, ResourceType resource,
            boolean asTable, String includeObject) {
        ObjectNode payload = object;
        if (asTable) {
            payload = tables.table(resource, List.of(object), includeObject,
                    object.path("metadata").path("resourceVersion").asText(), null);
        }
        ObjectNode event = json.createObjectNode();
        event.put("type", type);
        event.set("object", payload);
        return stream.write(line(event), SLOW_CLIENT_MILLIS);
    }

    private void sendError(Exchange.Stream stream, ApiException failure) {
        ObjectNode event = json.createObjectNode();
        event.put("type", "ERROR");
        event.set("object", json.valueToTree(failure.status()));
        stream.write(line(event), SLOW_CLIENT_MILLIS);
    }

    private byte[] line(ObjectNode event) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            json.writeValue(out, event);
            out.write('\n');
            return out.toByteArray();
        } catch (IOException e) {
            throw ApiException.internal("cannot encode a watch event: " + e.getMessage());
        }
    }
}
