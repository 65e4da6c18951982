package dev.skiff.apiserver.kubelet;

import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;
import java.util.concurrent.CompletableFuture;

/**
 * Copies WebSocket frames both ways between a client and a kubelet, unchanged (the channel byte of the
 * {@code channel.k8s.io} protocols and the tunnelled SPDY bytes travel as they came), with backpressure per
 * direction and the close (with its code) passed on. kube-apiserver proxies these upgraded connections the same way,
 * as opaque streams.
 */
final class WebSocketRelay {

    private WebSocketRelay() {
    }

    /**
     * Starts relaying; both sockets must be paused (no frame handled yet). The future completes once either side
     * has closed (the close is then passed on).
     */
    static CompletableFuture<Void> relay(WebSocketBase client, WebSocketBase kubelet) {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        pipe(client, kubelet, closed);
        pipe(kubelet, client, closed);
        client.resume();
        kubelet.resume();
        return closed;
    }

    private static void pipe(WebSocketBase from, WebSocketBase to, CompletableFuture<Void> closed) {
        from.frameHandler(frame -> {
            WebSocketFrame copy;
            if (frame.isBinary()) {
                copy = WebSocketFrame.binaryFrame(frame.binaryData(), frame.isFinal());
            } else if (frame.isText()) {
                copy = WebSocketFrame.textFrame(frame.textData(), frame.isFinal());
            } else if (frame.isContinuation()) {
                copy = WebSocketFrame.continuationFrame(frame.binaryData(), frame.isFinal());
            } else {
                return; // ping, pong and close are each connection's own
            }
            to.writeFrame(copy);
            if (to.writeQueueFull()) {
                from.pause();
                to.drainHandler(v -> from.resume());
            }
        });
        from.closeHandler(v -> {
            if (!to.isClosed()) {
                Short code = from.closeStatusCode();
                // 1005/1006 describe a missing or abnormal close and must not be sent.
                short sent = code == null || code == 1005 || code == 1006 ? 1000 : code;
                to.close(sent, from.closeReason());
            }
            closed.complete(null);
        });
        from.exceptionHandler(e -> {
            if (!to.isClosed()) {
                to.close((short) 1011, "the other side of the stream failed");
            }
            closed.complete(null);
        });
    }
}
