package dev.skiff.apiserver.handler;

import dev.skiff.apiserver.cache.CachedObject;
import dev.skiff.apiserver.cache.WatchCache;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.resource.ResourceType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a list straight from cached JSON: the envelope around the items' bytes, without parsing or re-encoding
 * them. This is what makes a LIST of tens of thousands of objects cheap.
 *
 * <p>A big list is streamed in chunks as it is assembled rather than built whole first: 50,000 pods are about
 * 250 MiB of JSON, which as one array cost a copy the client waited for before its first byte and a humongous heap
 * allocation per list (kube-apiserver, too, encodes a list straight into the response writer).
 */
final class RawLists {

    /** Lists up to this size are sent as one body (with a Content-Length); bigger ones are streamed. */
    static final int STREAM_THRESHOLD = 1024 * 1024;
    /** The size of the chunks a streamed list is written in. */
    private static final int CHUNK = 512 * 1024;
    /** How long a streamed list waits for a client that does not read before giving up on it. */
    private static final long SLOW_CLIENT_MILLIS = 60_000;

    private RawLists() {
    }

    /** Sends {@code snapshot} as the list of {@code type}: one body, or streamed when it is big. */
    static void send(Exchange exchange, ResourceType type, WatchCache.Snapshot snapshot) {
        long size = size(snapshot);
        if (size <= STREAM_THRESHOLD) {
            exchange.respond(200, Codec.JSON, encode(type, snapshot), null);
            return;
        }
        Exchange.Stream stream = exchange.body(200, Codec.JSON);
        try {
            ByteArrayOutputStream chunk = new ByteArrayOutputStream(CHUNK + 64 * 1024);
            write(chunk, head(type, snapshot));
            boolean first = true;
            for (CachedObject object : snapshot.items()) {
                if (!first) {
                    chunk.write(',');
                }
                chunk.writeBytes(object.json());
                first = false;
                if (chunk.size() >= CHUNK) {
                    if (!stream.write(chunk.toByteArray(), SLOW_CLIENT_MILLIS)) {
                        return; // the client went away (or stopped reading): nothing more to do
                    }
                    chunk.reset();
                }
            }
            write(chunk, "]}");
            stream.write(chunk.toByteArray(), SLOW_CLIENT_MILLIS);
        } finally {
            stream.end();
        }
    }

    static byte[] encode(ResourceType type, WatchCache.Snapshot snapshot) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8,
                size(snapshot)));
        write(out, head(type, snapshot));
        boolean first = true;
        for (CachedObject object : snapshot.items()) {
            if (!first) {
                out.write(',');
            }
            out.writeBytes(object.json());
            first = false;
        }
        write(out, "]}");
        return out.toByteArray();
    }

    private static long size(WatchCache.Snapshot snapshot) {
        long size = 128;
        for (CachedObject object : snapshot.items()) {
            size += object.json().length + 1;
        }
        return size;
    }

    private static String head(ResourceType type, WatchCache.Snapshot snapshot) {
        return "{\"kind\":\"" + type.listKind() + "\",\"apiVersion\":\"" + type.apiVersion()
                + "\",\"metadata\":{\"resourceVersion\":\"" + snapshot.revision() + "\"},\"items\":[";
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
