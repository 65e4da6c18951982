package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.cache.CachedObject;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.table.TableWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes one watch's events to its stream as kube-apiserver frames them: one JSON object per line,
 * {@code {"type":..., "object":...}}, the object as stored or as a Table row when the client asked for tables.
 * Thread-safe: events (from the delivery thread) and bookmarks or errors (from the request thread) are written
 * whole, one at a time; a write blocks while the client's window is full, up to the slow-client limit.
 */
final class WatchEncoder {

    /** The annotation that marks the bookmark ending the initial state of a watch-list (KEP 3157). */
    static final String INITIAL_EVENTS_END = "k8s.io/initial-events-end";
    private static final long SLOW_CLIENT_MILLIS = 30_000;

    private final Exchange.Stream stream;
    private final ObjectMapper json;
    private final TableWriter tables;
    private final ResourceType type;
    private final boolean asTable;
    private final String includeObject;
    private final ReentrantLock writing = new ReentrantLock();

    WatchEncoder(Exchange.Stream stream, ObjectMapper json, TableWriter tables, ResourceType type, boolean asTable,
            String includeObject) {
        this.stream = stream;
        this.json = json;
        this.tables = tables;
        this.type = type;
        this.asTable = asTable;
        this.includeObject = includeObject;
    }

    Exchange.Stream stream() {
        return stream;
    }

    /** An event for a cached object: its bytes are spliced in as they are, unless a table is wanted. */
    boolean event(String eventType, CachedObject object) {
        if (asTable) {
            return event(eventType, parse(object));
        }
        return write(sharedLine(eventType, object));
    }

    /** The line last made from a cached object, for the next watcher that sends the same event. */
    private record Line(CachedObject object, String type, byte[] bytes) {
    }

    private static volatile Line lastLine;

    /**
     * The event's line, made once per event and shared by every watcher sending it (the bytes are never modified):
     * with 1,000 watchers of one resource, one event used to be copied into 1,000 new lines. A single-entry memo,
     * because the watchers of one event send it at about the same time; a miss only costs making the line again.
     */
    private static byte[] sharedLine(String eventType, CachedObject object) {
        Line line = lastLine;
        if (line == null || line.object() != object || !line.type().equals(eventType)) {
            line = new Line(object, eventType, rawLine(eventType, object.json()));
            lastLine = line;
        }
        return line.bytes();
    }

    boolean event(String eventType, ObjectNode object) {
        ObjectNode payload = object;
        if (asTable) {
            payload = tables.table(type, List.of(object), includeObject,
                    object.path("metadata").path("resourceVersion").asText(), null);
        }
        return write(line(eventType, payload));
    }

    /**
     * A BOOKMARK: an object of the watched kind carrying only apiVersion, kind and metadata.resourceVersion (plus the
     * initial-events-end annotation when it closes the initial state), as upstream's cacher sends; a table client
     * gets an empty Table with that resourceVersion.
     */
    boolean bookmark(long revision, boolean initialEventsEnd) {
        ObjectNode object;
        if (asTable) {
            object = tables.table(type, List.of(), includeObject, Long.toString(revision), null);
        } else {
            object = json.createObjectNode();
            object.put("kind", type.kind()).put("apiVersion", type.apiVersion());
            object.putObject("metadata").put("resourceVersion", Long.toString(revision));
        }
        if (initialEventsEnd) {
            ((ObjectNode) object.path("metadata")).putObject("annotations").put(INITIAL_EVENTS_END, "true");
        }
        return write(line("BOOKMARK", object));
    }

    /** An ERROR event carrying a Status (410 Gone for a compacted resourceVersion, 504 for a future one). */
    void error(ApiException failure) {
        write(line("ERROR", json.valueToTree(failure.status())));
    }

    /**
     * Lines held back by {@link #held}, written by {@link #flush} (or once they pass {@link #HOLD_BYTES}). Kept as
     * the lines themselves: a watcher that is up to date holds one (shared) line, written as it is without a copy.
     */
    private final List<byte[]> pending = new java.util.ArrayList<>();
    private int pendingBytes;
    /** Whether the current thread is inside {@link #held}. */
    private boolean holding;
    private static final int HOLD_BYTES = 64 * 1024;

    /**
     * Runs {@code write} (an {@link #event} or {@link #bookmark} call) with its line held back for the next
     * {@link #flush} instead of written at once; returns false when the client is gone.
     */
    boolean held(java.util.function.BooleanSupplier write) {
        writing.lock();
        try {
            // WebSocket clients (fabric8) read one event per message: nothing is held back for them.
            holding = !stream.isWebSocket();
            try {
                return write.getAsBoolean();
            } finally {
                holding = false;
            }
        } finally {
            writing.unlock();
        }
    }

    /** Writes the held-back lines as one chunk; returns false when the client is gone. */
    boolean flush() {
        writing.lock();
        try {
            return flushPending();
        } finally {
            writing.unlock();
        }
    }

    private boolean flushPending() {
        if (pending.isEmpty()) {
            return !stream.isClosed();
        }
        byte[] chunk;
        if (pending.size() == 1) {
            chunk = pending.getFirst();
        } else {
            chunk = new byte[pendingBytes];
            int at = 0;
            for (byte[] line : pending) {
                System.arraycopy(line, 0, chunk, at, line.length);
                at += line.length;
            }
        }
        pending.clear();
        pendingBytes = 0;
        return stream.write(chunk, SLOW_CLIENT_MILLIS);
    }

    private boolean write(byte[] line) {
        writing.lock();
        try {
            if (holding) {
                pending.add(line);
                pendingBytes += line.length;
                return pendingBytes < HOLD_BYTES ? !stream.isClosed() : flushPending();
            }
            // Anything held back goes first, so the client sees events in order.
            return flushPending() && stream.write(line, SLOW_CLIENT_MILLIS);
        } finally {
            writing.unlock();
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
        byte[] head = ("{\"type\":\"" + type + "\",\"object\":").getBytes(StandardCharsets.UTF_8);
        byte[] line = new byte[head.length + object.length + 2];
        System.arraycopy(head, 0, line, 0, head.length);
        System.arraycopy(object, 0, line, head.length, object.length);
        line[line.length - 2] = '}';
        line[line.length - 1] = '\n';
        return line;
    }

    private byte[] line(String eventType, com.fasterxml.jackson.databind.JsonNode object) {
        ObjectNode event = json.createObjectNode();
        event.put("type", eventType);
        event.set("object", object);
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
