package dev.skiff.node.kubelet;

import dev.skiff.node.runtime.ForwardedPort;
import dev.skiff.node.runtime.InstanceRuntime;
import dev.skiff.node.runtime.PortForwardResult;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code kubectl port-forward} connection: SPDY/3.1 frames tunnelled in binary WebSocket messages (subprotocol
 * {@code SPDY/3.1+portforward.k8s.io}, client-go's tunnelling connection), carrying the kubelet's port-forward
 * protocol {@code portforward.k8s.io}: for every local connection the client opens an {@code error} stream and a
 * {@code data} stream with the same {@code requestID} and the pod {@code port} in their headers. The kubelet dials the
 * port, copies the data stream both ways (half-closes follow the streams' FIN flags), writes any failure as text on
 * the error stream, and ends both streams.
 *
 * <p>Streams are answered at once (client-go waits for the SYN_REPLY); SPDY's flow-control windows are not enforced
 * (client-go's spdystream does not enforce them either); instead the socket stops being read while a connection's
 * pod side lags, which holds back every stream of the tunnel.
 */
final class PortForwardSession {

    static final String PROTOCOL = "SPDY/3.1+portforward.k8s.io";

    private static final Logger LOG = LoggerFactory.getLogger(PortForwardSession.class);
    private static final int MAX_DATA_FRAME = 32 * 1024;

    private final ServerWebSocket socket;
    private final Target target;
    private final InstanceRuntime runtime;
    private final ExecutorService threads;
    private final SpdyCodec codec = new SpdyCodec();
    private final Map<String, Pair> pairs = new ConcurrentHashMap<>();
    private final Map<Integer, Pair> byStream = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    /** The two streams of one forwarded connection, filled in as their SYN_STREAMs arrive. */
    private final class Pair {
        final String requestId;
        volatile int errorStream;
        volatile int dataStream;
        volatile int port;
        final InboundBytes inbound = new InboundBytes(socket::pause, socket::resume);
        volatile ForwardedPort connection;
        boolean started;

        Pair(String requestId) {
            this.requestId = requestId;
        }
    }

    PortForwardSession(ServerWebSocket socket, Target target, InstanceRuntime runtime, ExecutorService threads) {
        this.socket = socket;
        this.target = target;
        this.runtime = runtime;
        this.threads = threads;
        socket.binaryMessageHandler(message -> received(message.getBytes()));
        socket.closeHandler(v -> ended());
        socket.exceptionHandler(e -> ended());
    }

    /** Completes when the tunnel closes. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    private void ended() {
        if (closed.complete(null)) {
            for (Pair pair : pairs.values()) {
                pair.inbound.finish();
                ForwardedPort connection = pair.connection;
                if (connection != null) {
                    connection.close();
                }
            }
            codec.close();
        }
    }

    private void received(byte[] bytes) {
        java.util.List<SpdyFrame> frames;
        try {
            frames = codec.decode(bytes);
        } catch (RuntimeException e) {
            LOG.debug("bad SPDY input on a port-forward tunnel: {}", e.toString());
            socket.close((short) 1002, "invalid SPDY framing");
            return;
        }
        for (SpdyFrame frame : frames) {
            try {
                handle(frame);
            } finally {
                io.netty.util.ReferenceCountUtil.release(frame);
            }
        }
    }

    private void handle(SpdyFrame frame) {
        switch (frame) {
            case SpdySynStreamFrame syn -> opened(syn);
            case SpdyDataFrame data -> {
                Pair pair = byStream.get(data.streamId());
                if (pair != null && data.streamId() == pair.dataStream) {
                    byte[] bytes = new byte[data.content().readableBytes()];
                    data.content().readBytes(bytes);
                    pair.inbound.offer(bytes);
                    if (data.isLast()) {
                        pair.inbound.finish();
                    }
                }
            }
            case SpdyRstStreamFrame reset -> {
                Pair pair = byStream.remove(reset.streamId());
                if (pair != null) {
                    pair.inbound.finish();
                    ForwardedPort connection = pair.connection;
                    if (connection != null) {
                        connection.close();
                    }
                }
            }
            case SpdyPingFrame ping -> post(new DefaultSpdyPingFrame(ping.id()));
            case SpdyGoAwayFrame goAway -> socket.close((short) 1000);
            default -> { // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do (see the class comment on windows)
            }
        }
    }

    private void opened(SpdySynStreamFrame syn) {
        int id = syn.streamId();
        String type = syn.headers().getAsString("streamtype");
        // Answer first: client-go's CreateStream waits for the reply. Netty encodes an empty header block as no
        // bytes at all, which Go's framer cannot inflate, so the reply repeats the stream's type.
        DefaultSpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(id);
        reply.headers().set("streamtype", type == null ? "" : type);
        post(reply);
        String requestId = syn.headers().getAsString("requestid");
        String port = syn.headers().getAsString("port");
        Pair pair = pairs.computeIfAbsent(requestId == null ? "stream-" + id : requestId, Pair::new);
        byStream.put(id, pair);
        if ("error".equals(type)) {
            pair.errorStream = id;
        } else if ("data".equals(type)) {
            pair.dataStream = id;
            pair.port = parsePort(port);
        } else {
            LOG.debug("port-forward stream {} of unknown type {}", id, type);
            return;
        }
        synchronized (pair) {
            if (pair.errorStream != 0 && pair.dataStream != 0 && !pair.started) {
                pair.started = true;
                threads.execute(() -> forward(pair));
            }
        }
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value == null ? "" : value.trim());
            return port > 0 && port <= 65535 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Dials the pod's port and copies both ways; on a virtual thread. */
    private void forward(Pair pair) {
        try {
            if (pair.port < 0) {
                fail(pair, "invalid port");
                return;
            }
            PortForwardResult result;
            try {
                result = runtime.portForward(target.instance(), pair.port);
            } catch (RuntimeException e) {
                result = new PortForwardResult.Failed(e.getMessage() == null ? e.toString() : e.getMessage());
            }
            switch (result) {
                case PortForwardResult.Connected(ForwardedPort connection) -> copy(pair, connection);
                case PortForwardResult.Failed(String message) -> fail(pair, message);
                case PortForwardResult.Unsupported(String reason) -> fail(pair, reason);
            }
        } finally {
            pairs.remove(pair.requestId);
        }
    }

    private void copy(Pair pair, ForwardedPort connection) {
        pair.connection = connection;
        try (connection) {
            threads.execute(() -> {
                // Not closed here: closing a socket's stream closes the socket, and the pod's reply may still come.
                try {
                    OutputStream out = connection.output();
                    pair.inbound.transferTo(out);
                    out.flush();
                    connection.closeOutput();
                } catch (java.io.IOException e) {
                    LOG.debug("port-forward to port {}: client to pod copy ended: {}", pair.port, e.toString());
                }
            });
            byte[] buffer = new byte[MAX_DATA_FRAME];
            InputStream in = connection.input();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (n > 0 && !send(new DefaultSpdyDataFrame(pair.dataStream,
                        Unpooled.copiedBuffer(buffer, 0, n)))) {
                    return;
                }
            }
        } catch (java.io.IOException e) {
            LOG.debug("port-forward to port {}: pod to client copy ended: {}", pair.port, e.toString());
        }
        end(pair);
    }

    private void fail(Pair pair, String message) {
        String text = "error forwarding port " + pair.port + " to pod " + target.podName() + ", uid "
                + target.instance() + ": " + message;
        send(new DefaultSpdyDataFrame(pair.errorStream, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
        end(pair);
    }

    /** Ends both streams (FIN), which is how the client learns the connection is over. */
    private void end(Pair pair) {
        DefaultSpdyDataFrame dataEnd = new DefaultSpdyDataFrame(pair.dataStream);
        dataEnd.setLast(true);
        send(dataEnd);
        DefaultSpdyDataFrame errorEnd = new DefaultSpdyDataFrame(pair.errorStream);
        errorEnd.setLast(true);
        send(errorEnd);
    }

    /**
     * Encodes and sends one frame from a copying thread; false once the tunnel is closed. Waits while the client's
     * window is full.
     */
    private boolean send(SpdyFrame frame) {
        return post(frame) && BlockingWrites.awaitDrain(socket, closed);
    }

    /** Encodes and sends one frame without waiting (the event loop must never wait); false once closed. */
    private boolean post(SpdyFrame frame) {
        if (closed.isDone()) {
            io.netty.util.ReferenceCountUtil.release(frame);
            return false;
        }
        // One lock for encoding and queueing: the header compression state and the wire order must agree.
        synchronized (codec) {
            byte[] bytes = codec.encode(frame);
            socket.writeBinaryMessage(Buffer.buffer(bytes));
        }
        return true;
    }
}
