package dev.skiff.apiserver.http;

import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;

/**
 * One flush per event-loop turn and connection instead of one per write.
 *
 * <p>Why: Vert.x flushes the channel after every write made outside a read (every chunk a watch's virtual thread
 * writes). With 1,000 watches multiplexed 100 to an HTTP/2 connection, one event became 1,000 flushes, each its own
 * HTTP/2 DATA frame, TLS record and socket write — the API benchmark's profile put the event loops' time there.
 * Deferring the flush to a task queued behind the writes already waiting lets the HTTP/2 flow controller emit every
 * stream's frames at once and the TLS handler pack them into full records (up to 16 KiB), as Go's http2 server does
 * by buffering frames in its write scheduler and flushing when its queue runs empty.
 *
 * <p>Latency: a deferred flush runs as soon as the event loop reaches it (after the writes queued before it), and
 * after 256 deferred flushes the handler flushes at once, so no write waits behind an unbounded batch.
 */
final class FlushCoalescing {

    /** Flushes held back before one is forced (Netty's default for the consolidation handler). */
    private static final int MAX_DEFERRED_FLUSHES = FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES;

    private FlushCoalescing() {
    }

    /**
     * Installs the coalescing on an HTTP/2 {@code connection}'s channel, at the application end of the pipeline so
     * that the HTTP/2 handler's own flush (which writes the flow-controlled frames) is deferred too.
     *
     * <p>HTTP/1.1 connections are left alone: they carry one response at a time (nothing to coalesce), and the
     * WebSocket and SPDY upgrades of {@code kubectl exec}, {@code cp} and {@code port-forward} rearrange their
     * pipeline; with deferred flushes there, {@code kubectl exec} hung in the node's end-to-end test. A connection
     * whose channel is not reachable (another Vert.x implementation) is left as it is too.
     */
    static void install(HttpConnection connection) {
        if (connection instanceof io.vertx.core.http.impl.http2.Http2ServerConnection
                && connection instanceof io.vertx.core.net.impl.ConnectionBase base) {
            Channel channel = base.channel();
            if (channel.pipeline().get(FlushConsolidationHandler.class) == null) {
                channel.pipeline().addLast("skiff-flush-coalescing",
                        new FlushConsolidationHandler(MAX_DEFERRED_FLUSHES, true));
            }
        }
    }
}
