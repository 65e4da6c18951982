package dev.skiff.node.cri;

import dev.skiff.node.cri.client.CriClient;
import dev.skiff.node.cri.client.CriException;
import dev.skiff.node.cri.proto.AttachRequest;
import dev.skiff.node.cri.proto.ExecRequest;
import dev.skiff.node.cri.containerd.HostRequirements;
import dev.skiff.node.cri.stream.ChannelSession;
import dev.skiff.node.cri.stream.NetnsPortForward;
import dev.skiff.node.runtime.ExecIo;
import dev.skiff.node.runtime.ExecResult;
import dev.skiff.node.runtime.ForwardedPort;
import dev.skiff.node.runtime.PortForwardResult;
import dev.skiff.node.runtime.RuntimeUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;

/**
 * The interactive calls of the cri runtime: exec with stdin or a terminal and attach through containerd's CRI
 * streaming server (the CRI answers a URL; this side is the client the kubelet's API server proxy would be), and
 * port-forward to localhost inside the sandbox's network namespace ({@link NetnsPortForward}, decision 036).
 *
 * <p>Without nsenter or busybox on the host, port-forward dials the pod's own address on the bridge instead; a
 * server that listens only on 127.0.0.1 in the pod is not reachable that way.
 */
final class CriStreams implements AutoCloseable {

    private static final Duration CONNECT = Duration.ofSeconds(10);

    /** Port-forward inside sandboxes' network namespaces, or null when the host lacks nsenter or busybox. */
    private static final NetnsPortForward NETNS_FORWARD = netnsForward();

    private final CriClient client;
    private final HttpClient http;

    CriStreams(CriClient client) {
        this.client = client;
        // Virtual threads: session listeners write to the caller's streams, which may block on a slow client.
        this.http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
                .connectTimeout(CONNECT).build();
    }

    /** Runs {@code command} with the CRI's streaming Exec; the result is the command's exit code. */
    CompletableFuture<ExecResult> exec(String containerId, List<String> command, boolean stdin, boolean tty,
                                       ExecIo io) {
        // With a terminal, containerd 1.6 delivers no output when the exec has no stdin (seen on this runtime:
        // `tty` without stdin prints nothing): the terminal is the process's stdin anyway, so open it and send
        // nothing when the caller has no input.
        ExecRequest request = ExecRequest.newBuilder().setContainerId(containerId).addAllCmd(command)
                .setStdin(stdin || tty).setTty(tty).setStdout(true).setStderr(!tty).build();
        return prepared(() -> client.exec(request))
                .thenCompose(url -> ChannelSession.run(http, url, io, stdin, tty, false))
                .thenApply(outcome -> switch (outcome) {
                    case ChannelSession.Outcome.Exited(int code) -> new ExecResult.Exited(code);
                    case ChannelSession.Outcome.Failed(String message) ->
                            throw new CompletionException(new IllegalStateException(message));
                    case ChannelSession.Outcome.Closed() -> throw new CompletionException(new IllegalStateException(
                            "the exec stream ended without the command's exit status"));
                });
    }

    /**
     * Attaches to a container's main process. The session ends when the process's streams end (it exited) or the
     * caller's stdin ends; then {@code exitCode} says how the process is (-1 while it runs).
     */
    CompletableFuture<ExecResult> attach(String containerId, boolean stdin, boolean tty, ExecIo io,
                                         IntSupplier exitCode) {
        // containerd 1.6 ends an attach without stdin at once (seen here: the server reports Success before any
        // output), so stdin is always asked for; nothing is sent on it when the caller has none.
        AttachRequest request = AttachRequest.newBuilder().setContainerId(containerId).setStdin(true).setTty(tty)
                .setStdout(true).setStderr(!tty).build();
        return prepared(() -> client.attach(request))
                .thenCompose(url -> ChannelSession.run(http, url, io, stdin, tty, stdin))
                .thenApply(outcome -> switch (outcome) {
                    case ChannelSession.Outcome.Failed(String message) ->
                            throw new CompletionException(new IllegalStateException(message));
                    default -> new ExecResult.Exited(exitCode.getAsInt());
                });
    }

    /**
     * Connects to {@code port} on localhost inside the sandbox's network namespace, as containerd's own
     * PortForward does; on the pod's address when the host lacks nsenter or busybox or the sandbox does not exist
     * yet ({@code sandboxId} null).
     */
    PortForwardResult portForward(InetAddress podIp, String sandboxId, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (NETNS_FORWARD != null && sandboxId != null) {
            OptionalLong pid = client.sandboxPid(sandboxId);
            if (pid.isPresent()) {
                return NETNS_FORWARD.connect(pid.getAsLong(), port);
            }
        }
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(podIp, port), (int) CONNECT.toMillis());
            socket.setTcpNoDelay(true);
            return new PortForwardResult.Connected(new SocketPort(socket));
        } catch (IOException e) {
            closeQuietly(socket);
            return new PortForwardResult.Failed("error forwarding port " + port + " to pod " + podIp.getHostAddress()
                    + ": " + e.getMessage());
        }
    }

    private static NetnsPortForward netnsForward() {
        Path nsenter = HostRequirements.onPath("nsenter");
        Path busybox = HostRequirements.onPath("busybox");
        return nsenter == null || busybox == null ? null : new NetnsPortForward(nsenter, busybox);
    }

    /** Asks the CRI for a streaming URL on a virtual thread (a gRPC round trip), keeping the caller unblocked. */
    private static CompletableFuture<String> prepared(java.util.function.Supplier<String> call) {
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread.ofVirtual().name("cri-stream-prepare").start(() -> {
            try {
                url.complete(call.get());
            } catch (CriException e) {
                url.completeExceptionally(e.unreachable()
                        ? new RuntimeUnavailableException("containerd is unreachable: " + e.getMessage(), e) : e);
            } catch (RuntimeException e) {
                url.completeExceptionally(e);
            }
        });
        return url;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket that never connected
        }
    }

    @Override
    public void close() {
        // shutdownNow, not close: close() waits for open exchanges, and a session to containerd's streaming server
        // lasts as long as its process (a stopped runtime must not hang on a user's open shell).
        http.shutdownNow();
    }

    /** A forwarded connection backed by one TCP socket; half-close is the socket's shutdownOutput. */
    private record SocketPort(Socket socket) implements ForwardedPort {

        @Override
        public InputStream input() throws IOException {
            return socket.getInputStream();
        }

        @Override
        public OutputStream output() throws IOException {
            return socket.getOutputStream();
        }

        @Override
        public void closeOutput() throws IOException {
            if (!socket.isClosed() && !socket.isOutputShutdown()) {
                socket.shutdownOutput();
            }
        }

        @Override
        public void close() {
            closeQuietly(socket);
        }
    }
}
