package dev.skiff.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;

/**
 * Watches as plain HTTP streams, the way client-go opens them: {@code GET ...?watch=true} on HTTP/2, many watches
 * multiplexed over each connection, one JSON event per line. The receiver only finds each line's type and the
 * sequence annotation in the bytes — no decoding into objects — so the measurement is the server's fan-out, not
 * the client's JSON mapping (which, for 1,000 fabric8 watches in this process, costs more CPU than the server).
 */
final class RawWatches implements AutoCloseable {

    /** Streams per HTTP/2 connection: Vert.x's default SETTINGS_MAX_CONCURRENT_STREAMS. */
    static final int STREAMS_PER_CONNECTION = 100;

    private static final byte[] MODIFIED = "{\"type\":\"MODIFIED\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SEQUENCE = ("\"" + ApiWatchLatency.SEQUENCE_ANNOTATION + "\":\"")
            .getBytes(StandardCharsets.UTF_8);

    private final List<HttpClient> clients = new ArrayList<>();
    private final List<LineScanner> scanners = new ArrayList<>();
    private final SSLContext tls;
    private final int watchers;

    /** Room for {@code watchers} watches: one HTTP/2 connection per {@link #STREAMS_PER_CONNECTION}. */
    RawWatches(SSLContext tls, int watchers) {
        this.tls = tls;
        this.watchers = watchers;
    }

    /** How many connections the watches use. */
    int connections() {
        return Math.ceilDiv(watchers, STREAMS_PER_CONNECTION);
    }

    /** Opens watch number {@code index} on {@code url}; events go to {@code receiver}. */
    void open(int index, String url, ApiWatchLatency.Receiver receiver) {
        int connection = index / STREAMS_PER_CONNECTION;
        while (clients.size() <= connection) {
            HttpClient client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_2)
                    .connectTimeout(Duration.ofSeconds(30)).build();
            connect(client, url);
            clients.add(client);
        }
        LineScanner scanner = new LineScanner(receiver);
        scanners.add(scanner);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json").GET()
                .build();
        clients.get(connection).sendAsync(request, info -> {
            if (info.statusCode() != 200) {
                receiver.closed("HTTP " + info.statusCode());
                return HttpResponse.BodySubscribers.discarding();
            }
            return scanner;
        }).whenComplete((response, failure) -> {
            if (failure != null && !scanner.cancelled) {
                receiver.closed(String.valueOf(failure));
            }
        });
    }

    /**
     * Establishes the client's HTTP/2 connection with one request before the watches share it. Without this, the
     * JDK client races a TLS handshake per concurrently sent request (it has no connection yet), and on a busy
     * machine some of those handshakes exceed the server's handshake timeout — client-go, too, opens one
     * connection and multiplexes on it.
     */
    private static void connect(HttpClient client, String url) {
        URI base = URI.create(url).resolve("/version");
        try {
            client.send(HttpRequest.newBuilder(base).GET().build(), HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot connect to " + base, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to " + base, e);
        }
    }

    @Override
    public void close() {
        scanners.forEach(LineScanner::cancel);
        clients.forEach(HttpClient::shutdownNow);
    }

    /** Splits the body into lines and reports each MODIFIED event's sequence number with the time it arrived. */
    private static final class LineScanner implements HttpResponse.BodySubscriber<Void> {
        private final ApiWatchLatency.Receiver receiver;
        private final CompletableFuture<Void> body = new CompletableFuture<>();
        private byte[] line = new byte[4096];
        private int length;
        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;

        LineScanner(ApiWatchLatency.Receiver receiver) {
            this.receiver = receiver;
        }

        @Override
        public CompletionStage<Void> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (cancelled) {
                subscription.cancel();
            } else {
                subscription.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            long now = System.nanoTime();
            for (ByteBuffer buffer : buffers) {
                // Bulk copies, then a scan of the array: reading the buffer a byte at a time was the largest single
                // item of the watch phase's profile, and this client shares the server's two cores.
                int n = buffer.remaining();
                if (length + n > line.length) {
                    line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, length + n));
                }
                int from = length;
                buffer.get(line, length, n);
                length += n;
                int start = 0;
                for (int i = from; i < length; i++) {
                    if (line[i] == '\n') {
                        scan(start, i - start, now);
                        start = i + 1;
                    }
                }
                if (start > 0) {
                    System.arraycopy(line, start, line, 0, length - start);
                    length -= start;
                }
            }
        }

        private void scan(int offset, int size, long now) {
            if (!startsWith(line, offset, size, MODIFIED)) {
                return;
            }
            int at = indexOf(line, offset, size, SEQUENCE);
            if (at < 0) {
                return;
            }
            int end = offset + size;
            int sequence = 0;
            for (int i = at + SEQUENCE.length; i < end && line[i] >= '0' && line[i] <= '9'; i++) {
                sequence = sequence * 10 + (line[i] - '0');
            }
            receiver.received(sequence, now);
        }

        @Override
        public void onError(Throwable failure) {
            if (!cancelled) {
                receiver.closed(String.valueOf(failure));
            }
            body.complete(null);
        }

        @Override
        public void onComplete() {
            if (!cancelled) {
                receiver.closed("the server ended the watch");
            }
            body.complete(null);
        }

        void cancel() {
            cancelled = true;
            Flow.Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
        }

        private static boolean startsWith(byte[] bytes, int offset, int length, byte[] prefix) {
            return length >= prefix.length
                    && java.util.Arrays.equals(bytes, offset, offset + prefix.length, prefix, 0, prefix.length);
        }

        /** Where {@code needle} starts in {@code bytes[offset, offset + length)}, or -1. */
        private static int indexOf(byte[] bytes, int offset, int length, byte[] needle) {
            int last = offset + length - needle.length;
            for (int i = offset; i <= last; i++) {
                if (bytes[i] == needle[0]
                        && java.util.Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                    return i;
                }
            }
            return -1;
        }
    }
}
