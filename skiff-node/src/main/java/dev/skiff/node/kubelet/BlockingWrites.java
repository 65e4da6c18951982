package dev.skiff.node.kubelet;

import io.vertx.core.streams.WriteStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Backpressure for a writer thread (a virtual thread copying a container's output) in front of a Vert.x write
 * stream: after a write that fills the stream's queue, the thread waits until the client has taken it.
 */
final class BlockingWrites {

    /** How long a client may leave its window full before the stream is given up. */
    private static final long MAX_WAIT_SECONDS = 120;

    private BlockingWrites() {
    }

    /** Waits while {@code out}'s write queue is full; returns false if it stayed full too long or was closed. */
    static boolean awaitDrain(WriteStream<?> out, CompletableFuture<Void> closed) {
        if (!out.writeQueueFull()) {
            return !closed.isDone();
        }
        CompletableFuture<Void> drained = new CompletableFuture<>();
        out.drainHandler(v -> drained.complete(null));
        if (!out.writeQueueFull()) {
            drained.complete(null);
        }
        try {
            CompletableFuture.anyOf(drained, closed).get(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
        return !closed.isDone();
    }
}
