package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    private final ObjectMapper json;
    private final TableWriter tables;

    WatchStreamer(ObjectStore store, ObjectMapper json, TableWriter tables) {
        this.store = store;
        this.json = json;
        this.tables = tables;
    }

    void stream(Exchange exchange, ResourceType type, String namespace, ListQuery query) {
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
            if (!send(stream, "ADDED", object, type, asTable, includeObject)) {
                stream.end();
                return;
            }
        }
        Watch watch = store.watch(type, namespace, after, query.filter(), event -> {
            if (!send(stream, event.type().name(), event.object(), type, asTable, includeObject)) {
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

    private boolean send(Exchange.Stream stream, String type, ObjectNode object, ResourceType resource,
            boolean asTable, String includeObject) {
        ObjectNode payload = object;
        if (asTable) {
            payload = tables.table(resource.group(), resource.plural(), List.of(object), includeObject,
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
