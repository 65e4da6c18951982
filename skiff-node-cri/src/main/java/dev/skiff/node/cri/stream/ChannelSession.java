package dev.skiff.node.cri.stream;

import dev.skiff.node.runtime.ExecIo;
import dev.skiff.node.runtime.TerminalSize;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec or attach session on a CRI streaming server URL, over a WebSocket with the Kubernetes channel protocol
 * {@code v4.channel.k8s.io}: every binary message starts with its channel (0 stdin, 1 stdout, 2 stderr, 3 error, 4
 * resize). The server closes the socket when the process's streams end; the error channel then carries a
 * {@code metav1.Status}: {@code Success}, or {@code NonZeroExitCode} with the code as the {@code ExitCode} cause.
 *
 * <p>The server (containerd 1.6 vendors the Kubernetes streaming library of its time) knows no channel-close
 * message ({@code v5.channel.k8s.io} added it), so the end of the caller's stdin cannot be passed on as EOF: the
 * session keeps reading output until the process exits. An attach session instead ends when the caller's stdin
 * ends ({@code kubectl attach -i} detaching), which leaves the process running.
 */
public final class ChannelSession implements WebSocket.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelSession.class);

    /** The subprotocol: binary frames, a leading channel byte, a Status on the error channel. */
    public static final String PROTOCOL = "v4.channel.k8s.io";

    private static final byte STDIN = 0;
    private static final byte STDOUT = 1;
    private static final byte STDERR = 2;
    private static final byte ERROR = 3;
    private static final byte RESIZE = 4;
    private static final Pattern EXIT_CODE = Pattern.compile(
            "\"reason\"\\s*:\\s*\"ExitCode\"\\s*,\\s*\"message\"\\s*:\\s*\"(-?\\d+)\"");

    private final ExecIo io;
    private final boolean detachOnStdinEnd;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private final ByteArrayOutputStream error = new ByteArrayOutputStream();
    private volatile WebSocket socket;

    /** How a session ended. */
    public sealed interface Outcome {
        /** The server reported the process's exit code on the error channel. */
        record Exited(int exitCode) implements Outcome {
        }

        /** The server ended the session with a failure that carries no exit code (its message). */
        record Failed(String message) implements Outcome {
        }

        /** The socket closed without a status (attach ends that way), or the caller detached. */
        record Closed() implements Outcome {
        }
    }

    private ChannelSession(ExecIo io, boolean detachOnStdinEnd) {
        this.io = io;
        this.detachOnStdinEnd = detachOnStdinEnd;
    }

    /**
     * Connects to {@code url} (the http URL the CRI answered) and starts copying: stdin (when {@code stdin}) and
     * terminal sizes (when {@code tty}) on virtual threads, output as it arrives. The future completes when the
     * session ends; it never completes exceptionally for the process's own failures.
     *
     * @param detachOnStdinEnd end the session when the caller's stdin ends (attach), rather than keep it until the
     *                         server ends it (exec)
     */
    public static CompletableFuture<Outcome> run(HttpClient http, String url, ExecIo io, boolean stdin, boolean tty,
                                                 boolean detachOnStdinEnd) {
        ChannelSession session = new ChannelSession(io, detachOnStdinEnd);
        URI uri = URI.create(url.replaceFirst("^http", "ws"));
        http.newWebSocketBuilder().subprotocols(PROTOCOL).buildAsync(uri, session).whenComplete((ws, failure) -> {
            if (failure != null) {
                session.outcome.completeExceptionally(failure);
                return;
            }
            session.socket = ws;
            if (stdin && io.stdin() != null) {
                Thread.ofVirtual().name("cri-stream-stdin").start(session::pumpStdin);
            }
            if (tty) {
                Thread resizes = Thread.ofVirtual().name("cri-stream-resize").start(session::pumpResizes);
                session.outcome.whenComplete((o, f) -> resizes.interrupt());
            }
        });
        return session.outcome;
    }

    /** Ends the session from this side (the caller went away); the process keeps running. Idempotent. */
    private void detach() {
        WebSocket ws = socket;
        if (ws != null && !ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "detached");
        }
        outcome.complete(new Outcome.Closed());
    }

    private void pumpStdin() {
        byte[] buffer = new byte[8192];
        InputStream in = io.stdin();
        try {
            int n;
            while (!outcome.isDone() && (n = in.read(buffer)) >= 0) {
                if (n > 0) {
                    send(STDIN, buffer, n);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("stdin of a stream session ended: {}", e.toString());
        }
        if (detachOnStdinEnd) {
            detach();
        }
    }

    private void pumpResizes() {
        try {
            TerminalSize size;
            while (!outcome.isDone() && (size = io.resizes().next()) != null) {
                // The kubelet's resize message: remotecommand.TerminalSize as JSON, field names capitalised.
                byte[] json = ("{\"Width\":" + size.width() + ",\"Height\":" + size.height() + "}")
                        .getBytes(StandardCharsets.UTF_8);
                send(RESIZE, json, json.length);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("resizes of a stream session ended: {}", e.toString());
        }
    }

    private void send(byte channel, byte[] data, int length) {
        ByteBuffer frame = ByteBuffer.allocate(length + 1);
        frame.put(channel).put(data, 0, length).flip();
        // One send at a time per socket (the JDK's rule); stdin and resizes share it.
        synchronized (this) {
            socket.sendBinary(frame, true).join();
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        message.writeBytes(bytes);
        if (last) {
            byte[] whole = message.toByteArray();
            message.reset();
            try {
                deliver(whole);
            } catch (IOException e) {
                // The caller's streams are gone (the client went away): end the session, the process stays.
                detach();
                return null;
            }
        }
        webSocket.request(1);
        return null;
    }

    private void deliver(byte[] whole) throws IOException {
        if (whole.length < 2) {
            return; // the server opens each channel with an empty message
        }
        OutputStream target = switch (whole[0]) {
            case STDOUT -> io.stdout();
            case STDERR -> io.stderr() != null ? io.stderr() : io.stdout();
            case ERROR -> error;
            default -> null;
        };
        if (target != null) {
            target.write(whole, 1, whole.length - 1);
            if (target != error) {
                target.flush();
            }
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        LOG.debug("stream session closed by the server: {} {}", statusCode, reason);
        outcome.complete(outcomeOf(error.toString(StandardCharsets.UTF_8)));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable failure) {
        if (!outcome.isDone() && error.size() > 0) {
            outcome.complete(outcomeOf(error.toString(StandardCharsets.UTF_8)));
        }
        outcome.completeExceptionally(failure);
    }

    /** Reads the Status the server wrote on the error channel (empty: none). */
    static Outcome outcomeOf(String status) {
        if (status.isBlank()) {
            return new Outcome.Closed();
        }
        if (status.contains("\"Success\"")) {
            return new Outcome.Exited(0);
        }
        Matcher code = EXIT_CODE.matcher(status);
        if (code.find()) {
            return new Outcome.Exited(Integer.parseInt(code.group(1)));
        }
        Matcher text = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(status);
        return new Outcome.Failed(text.find() ? text.group(1) : status);
    }
}
