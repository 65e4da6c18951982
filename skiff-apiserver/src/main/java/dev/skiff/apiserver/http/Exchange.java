package dev.skiff.apiserver.http;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
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

    public byte[] body() {
        return body;
    }

    public List<X509Certificate> clientChain() {
        return clientChain;
    }

    public boolean answered() {
        return answered;
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
        response.end(Buffer.buffer(content));
    }

    /** Opens a streaming response (a watch); chunks follow with {@link Stream#write}. */
    public Stream stream(int status, String contentType) {
        answered = true;
        HttpServerResponse response = request.response();
        response.setStatusCode(status);
        response.putHeader("Content-Type", contentType);
        response.putHeader("Cache-Control", "no-cache, private");
        response.putHeader("Transfer-Encoding", "chunked");
        response.setChunked(true);
        return new Stream(response);
    }

    /** A chunked response body that applies backpressure to its writer. Thread-safe. */
    public static final class Stream {

        private final HttpServerResponse response;
        private final CompletableFuture<Void> closed = new CompletableFuture<>();

        Stream(HttpServerResponse response) {
            this.response = response;
            response.closeHandler(v -> closed.complete(null));
            response.exceptionHandler(e -> closed.complete(null));
        }

        /**
         * Writes one chunk, flushing it to the client. Blocks while the client's window is full, up to
         * {@code maxWaitMillis}; returns false if the client went away or stayed blocked that long.
         */
        public boolean write(byte[] chunk, long maxWaitMillis) {
            if (closed.isDone()) {
                return false;
            }
            response.write(Buffer.buffer(chunk));
            if (response.writeQueueFull()) {
                CompletableFuture<Void> drained = new CompletableFuture<>();
                response.drainHandler(v -> drained.complete(null));
                if (!response.writeQueueFull()) {
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

        /** Completes when the client disconnects. */
        public CompletableFuture<Void> closed() {
            return closed;
        }

        public boolean isClosed() {
            return closed.isDone();
        }

        /** Ends the response. Idempotent. */
        public void end() {
            if (!closed.isDone()) {
                response.end();
            }
            closed.complete(null);
        }
    }
}
