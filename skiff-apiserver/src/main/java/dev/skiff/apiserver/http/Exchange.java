package dev.skiff.apiserver.http;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.streams.WriteStream;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request and its response, as the application sees it on its virtual thread. Answer exactly once: with
 * {@link #respond} or by opening a {@link #stream}. Not thread-safe beyond that: one request, one thread.
 */
public final class Exchange {

    private final HttpServerRequest request;
    private final byte[] body;
    private final List<X509Certificate> clientChain;
    private volatile boolean answered;
    /** Warnings for the client, sent as {@code Warning} headers with the response (deduplicated, in order). */
    private final java.util.Set<String> warnings = new java.util.LinkedHashSet<>();

    Exchange(HttpServerRequest request, byte[] body, List<X509Certificate> clientChain) {
        this.request = request;
        this.body = body;
        this.clientChain = List.copyOf(clientChain);
    }

    public String method() {
        return request.method().name();
    }

    /** The raw request path (not percent-decoded; Kubernetes names need no decoding). */
    public String path() {
        return request.path();
    }

    public MultiMap query() {
        return request.params();
    }

    /** A query parameter, or null. */
    public String param(String name) {
        return request.getParam(name);
    }

    public String header(String name) {
        return request.getHeader(name);
    }

    /** Every value of a header (case-insensitive), possibly none. */
    public List<String> headers(String name) {
        return request.headers().getAll(name);
    }

    /** The request's header names, lower case. */
    public List<String> headerNames() {
        return request.headers().names().stream().map(n -> n.toLowerCase(java.util.Locale.ROOT)).toList();
    }

    public byte[] body() {
        return body;
    }

    public List<X509Certificate> clientChain() {
        return clientChain;
    }

    public boolean answered() {
        return answered;
    }

    /**
     * Adds a warning for the client, as kube-apiserver's warning recorder does: sent with the response as
     * {@code Warning: 299 - "<text>"}, which kubectl prints as {@code Warning: <text>}. Repeats are sent once.
     */
    public void warn(String text) {
        synchronized (warnings) {
            warnings.add(text);
        }
    }

    private void addWarnings(io.vertx.core.MultiMap headers) {
        synchronized (warnings) {
            for (String text : warnings) {
                headers.add("Warning", "299 - \"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
            }
        }
    }

    /** Sends a complete response. */
    public void respond(int status, String contentType, byte[] content, MultiMap extraHeaders) {
        answered = true;
        HttpServerResponse response = request.response();
        response.setStatusCode(status);
        if (contentType != null) {
            response.putHeader("Content-Type", contentType);
        }
        response.putHeader("Cache-Control", "no-cache, private");
        if (extraHeaders != null) {
            response.headers().addAll(extraHeaders);
        }
        addWarnings(response.headers());
        response.end(Buffer.buffer(content));
    }

    /** Whether the client asked to upgrade to a WebSocket (how fabric8 and others open watches). */
    public boolean wantsWebSocket() {
        return request.canUpgradeToWebSocket();
    }

    /**
     * Accepts the client's WebSocket upgrade and hands the socket to the caller (the pod stream proxy relays it to
     * a kubelet). The subprotocol is the first the client offered among those the server knows. Blocks until the
     * handshake is done; the socket is paused (the caller resumes it once its handlers are set).
     *
     * @throws IllegalStateException if the handshake fails (the client went away)
     */
    public ServerWebSocket upgradeToWebSocket() {
        answered = true;
        try {
            // Paused on the event loop as soon as it exists: frames the client sends right after the handshake
            // (stdin, a terminal size) wait until the caller has set its handlers instead of being dropped.
            return request.toWebSocket().onSuccess(ServerWebSocket::pause).toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the WebSocket upgrade", e);
        } catch (Exception e) {
            throw new IllegalStateException("WebSocket upgrade failed: " + e, e);
        }
    }

    /**
     * Opens a streaming response (a watch): a chunked HTTP body, or, when the client asked for it, a WebSocket
     * whose messages are the chunks (as kube-apiserver serves watches to WebSocket clients).
     */
    public Stream stream(int status, String contentType) {
        answered = true;
        if (wantsWebSocket()) {
            try {
                ServerWebSocket socket = request.toWebSocket().toCompletionStage().toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                return new Stream(socket);
            } catch (Exception e) {
                throw new IllegalStateException("WebSocket upgrade failed: " + e, e);
            }
        }
        HttpServerResponse response = request.response();
        response.setStatusCode(status);
        response.putHeader("Content-Type", contentType);
        response.putHeader("Cache-Control", "no-cache, private");
        response.setChunked(true);
        // Never compressed: kube-apiserver does not gzip watch streams, and compressing each small event as it is
        // flushed costs more CPU than it saves bytes. ("identity" is how Vert.x is told to leave a response alone.)
        response.putHeader("Content-Encoding", "identity");
        addWarnings(response.headers());
        // kube-apiserver flushes a watch's headers at once; client-go waits for them before it sees any event,
        // and a watch from a quiet resourceVersion may have none to send for a long time.
        response.writeHead();
        return new Stream(response);
    }

    /**
     * Opens a plain response body written in chunks (a big list assembled as it is sent). Unlike {@link #stream}
     * never a WebSocket, and compressed like any big response when the client accepts gzip.
     */
    public Stream body(int status, String contentType) {
        answered = true;
        HttpServerResponse response = request.response();
        response.setStatusCode(status);
        response.putHeader("Content-Type", contentType);
        response.putHeader("Cache-Control", "no-cache, private");
        response.setChunked(true);
        addWarnings(response.headers());
        return new Stream(response);
    }

    /** A streamed response body (chunked HTTP or WebSocket messages) that applies backpressure. Thread-safe. */
    public static final class Stream {

        private final WriteStream<Buffer> out;
        private final ServerWebSocket socket;
        private final HttpServerResponse response;
        private final CompletableFuture<Void> closed = new CompletableFuture<>();

        Stream(HttpServerResponse response) {
            this.out = response;
            this.response = response;
            this.socket = null;
            response.closeHandler(v -> closed.complete(null));
            response.exceptionHandler(e -> closed.complete(null));
        }

        Stream(ServerWebSocket socket) {
            this.out = socket;
            this.socket = socket;
            this.response = null;
            socket.closeHandler(v -> closed.complete(null));
            socket.exceptionHandler(e -> closed.complete(null));
        }

        /**
         * Writes one chunk (one WebSocket message). Blocks while the client's window is full, up to
         * {@code maxWaitMillis}; returns false if the client went away or stayed blocked that long.
         */
        public boolean write(byte[] chunk, long maxWaitMillis) {
            if (closed.isDone()) {
                return false;
            }
            if (socket != null) {
                socket.writeTextMessage(new String(chunk, java.nio.charset.StandardCharsets.UTF_8));
            } else {
                out.write(Buffer.buffer(chunk));
            }
            if (out.writeQueueFull()) {
                CompletableFuture<Void> drained = new CompletableFuture<>();
                out.drainHandler(v -> drained.complete(null));
                if (!out.writeQueueFull()) {
                    drained.complete(null);
                }
                try {
                    CompletableFuture.anyOf(drained, closed).get(maxWaitMillis, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    return false;
                } catch (Exception e) {
                    return false;
                }
            }
            return !closed.isDone();
        }

        /** Whether this is a WebSocket, where every write is one message (one watch event per message). */
        public boolean isWebSocket() {
            return socket != null;
        }

        /** Completes when the client disconnects. */
        public CompletableFuture<Void> closed() {
            return closed;
        }

        public boolean isClosed() {
            return closed.isDone();
        }

        /** Ends the response (closes the WebSocket). Idempotent. */
        public void end() {
            if (!closed.isDone()) {
                if (socket != null) {
                    socket.close();
                } else {
                    response.end();
                }
            }
            closed.complete(null);
        }
    }
}
