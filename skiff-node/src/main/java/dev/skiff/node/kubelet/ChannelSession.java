package dev.skiff.node.kubelet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.node.runtime.ExecIo;
import dev.skiff.node.runtime.ExecResult;
import dev.skiff.node.runtime.TerminalSize;
import dev.skiff.node.runtime.TerminalSizeQueue;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One exec or attach session over the WebSocket channel protocol ({@code v4.channel.k8s.io},
 * {@code v5.channel.k8s.io}, as the kubelet's and kube-apiserver's {@code wsstream}): every binary message starts
 * with a channel byte, 0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize; v5 adds 255, the client's "close this
 * channel" signal (payload: the channel), which is how the end of stdin reaches the command. When the command ends,
 * the error channel carries a {@code metav1.Status} (Success, or Failure with reason {@code NonZeroExitCode} and the
 * exit code as the {@code ExitCode} cause, which kubectl turns into its own exit code), then the socket closes.
 */
final class ChannelSession {

    static final String V5 = "v5.channel.k8s.io";
    static final String V4 = "v4.channel.k8s.io";
    static final List<String> PROTOCOLS = List.of(V5, V4);

    private static final byte STDIN = 0;
    private static final byte STDOUT = 1;
    private static final byte STDERR = 2;
    private static final byte ERROR = 3;
    private static final byte RESIZE = 4;
    private static final byte CLOSE = (byte) 255;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TerminalSize END_OF_SIZES = new TerminalSize(0, 0);

    private final ServerWebSocket socket;
    private final boolean v5;
    private final InboundBytes stdin;
    private final LinkedBlockingQueue<TerminalSize> sizes = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    ChannelSession(ServerWebSocket socket) {
        this.socket = socket;
        this.v5 = V5.equals(socket.subProtocol());
        this.stdin = new InboundBytes(socket::pause, socket::resume);
        socket.binaryMessageHandler(this::received);
        socket.closeHandler(v -> ended());
        socket.exceptionHandler(e -> ended());
    }

    private void ended() {
        closed.complete(null);
        stdin.finish();
        sizes.add(END_OF_SIZES);
    }

    private void received(Buffer message) {
        if (message.length() == 0) {
            return;
        }
        byte channel = message.getByte(0);
        byte[] payload = message.getBytes(1, message.length());
        switch (channel) {
            case STDIN -> stdin.offer(payload);
            case RESIZE -> resize(payload);
            case CLOSE -> {
                if (v5 && payload.length > 0 && payload[0] == STDIN) {
                    stdin.finish();
                }
            }
            default -> { // output channels are the server's; nothing else is defined
            }
        }
    }

    private void resize(byte[] payload) {
        try {
            var size = JSON.readTree(payload);
            sizes.add(new TerminalSize(size.path("Width").asInt(0), size.path("Height").asInt(0)));
        } catch (java.io.IOException | IllegalArgumentException e) {
            // A malformed resize is dropped, as the kubelet logs and ignores it.
        }
    }

    /** The session's streams for the runtime: the client's channels for the streams it asked for. */
    ExecIo io(boolean wantsStdin, boolean wantsStdout, boolean wantsStderr, boolean tty) {
        TerminalSizeQueue resizes = tty ? () -> {
            TerminalSize next = sizes.take();
            if (next == END_OF_SIZES) {
                sizes.add(END_OF_SIZES);
                return null;
            }
            return next;
        } : TerminalSizeQueue.NONE;
        // Streams the client did not ask for are discarded rather than null: the SPI promises stdout always, and
        // stderr whenever there is no tty.
        return new ExecIo(wantsStdin ? stdin : null,
                wantsStdout ? new ChannelOutput(STDOUT) : OutputStream.nullOutputStream(),
                tty ? null : wantsStderr ? new ChannelOutput(STDERR) : OutputStream.nullOutputStream(), resizes);
    }

    /** Reports how the command ended on the error channel and closes the socket. */
    void finish(ExecResult result, List<String> command) {
        ObjectNode status = JSON.createObjectNode();
        status.putObject("metadata");
        switch (result) {
            case ExecResult.Exited(int code) when code == 0 || code == -1 -> status.put("status", "Success");
            case ExecResult.Exited(int code) -> {
                status.put("status", "Failure");
                status.put("message", "command terminated with non-zero exit code: error executing command "
                        + command + ", exit code " + code);
                status.put("reason", "NonZeroExitCode");
                status.putObject("details").putArray("causes").addObject()
                        .put("reason", "ExitCode").put("message", Integer.toString(code));
            }
            case ExecResult.Unsupported(String reason) -> failure(status, reason);
        }
        send(ERROR, status.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        close();
    }

    /** Reports an error that stopped the session (not the command's exit) and closes the socket. */
    void fail(String message) {
        ObjectNode status = JSON.createObjectNode();
        status.putObject("metadata");
        failure(status, message);
        send(ERROR, status.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        close();
    }

    private static void failure(ObjectNode status, String message) {
        status.put("status", "Failure");
        status.put("message", message);
        status.put("reason", "InternalError");
        status.put("code", 500);
    }

    private void close() {
        if (!closed.isDone()) {
            socket.close((short) 1000);
        }
        stdin.finish();
    }

    /** Completes when the client goes away or the session closed. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    private boolean send(byte channel, byte[] data, int offset, int length) {
        if (closed.isDone()) {
            return false;
        }
        Buffer message = Buffer.buffer(length + 1).appendByte(channel).appendBytes(data, offset, length);
        socket.writeBinaryMessage(message);
        return BlockingWrites.awaitDrain(socket, closed);
    }

    private void send(byte channel, byte[] data) {
        send(channel, data, 0, data.length);
    }

    /** An output channel as an OutputStream: each write is one message. */
    private final class ChannelOutput extends OutputStream {

        private final byte channel;

        ChannelOutput(byte channel) {
            this.channel = channel;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            if (len > 0 && !send(channel, b, off, len)) {
                throw new java.io.IOException("the client went away");
            }
        }
    }
}
