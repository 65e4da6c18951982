package dev.skiff.apiserver.kubelet;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A kubelet's HTTP response read by a blocking (virtual) thread: the body's chunks are queued by the event loop and
 * taken one at a time, each taken chunk asking the kubelet connection for the next, so a slow client slows the
 * kubelet instead of filling memory. Thread-safe: the event loop adds, one reader takes.
 */
final class KubeletReply {

    private static final Object END = new Object();

    private final HttpClientResponse response;
    private final BlockingQueue<Object> chunks = new LinkedBlockingQueue<>();

    private KubeletReply(HttpClientResponse response) {
        this.response = response;
    }

    /**
     * Wraps a response as its head arrives. Must run on the response's event loop, in the task that delivered the
     * head, so the handlers are in place before any chunk or the end is delivered.
     */
    static KubeletReply receive(HttpClientResponse response) {
        KubeletReply reply = new KubeletReply(response);
        response.pause();
        response.handler(reply.chunks::add);
        response.endHandler(v -> reply.chunks.add(END));
        // A reset or broken connection ends the body where it is, as a closed kubelet stream does upstream.
        response.exceptionHandler(e -> reply.chunks.add(END));
        return reply;
    }

    HttpClientResponse response() {
        return response;
    }

    /** The next chunk of the body, blocking until it arrives; null at the end of the body. */
    Buffer next() throws InterruptedException {
        response.fetch(1);
        Object chunk = chunks.take();
        return chunk == END ? null : (Buffer) chunk;
    }

    /** The rest of the body (an error's text), waiting at most {@code timeout} for it; what came so far after that. */
    Buffer drain(long timeout, TimeUnit unit) {
        Buffer body = Buffer.buffer();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        response.resume();
        try {
            while (true) {
                Object chunk = chunks.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (chunk == null || chunk == END) {
                    return body;
                }
                body.appendBuffer((Buffer) chunk);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return body;
        }
    }
}
