package dev.skiff.node.kubelet;

import dev.skiff.node.runtime.AttachRequest;
import dev.skiff.node.runtime.ContainerNotFoundException;
import dev.skiff.node.runtime.ExecIo;
import dev.skiff.node.runtime.ExecRequest;
import dev.skiff.node.runtime.ExecResult;
import dev.skiff.node.runtime.ForwardedPort;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceNotFoundException;
import dev.skiff.node.runtime.InstanceRuntime;
import dev.skiff.node.runtime.InstanceStatus;
import dev.skiff.node.runtime.PortForwardResult;
import dev.skiff.node.runtime.TerminalSize;
import dev.skiff.node.runtime.testing.DelegatingRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A <strong>transport test double</strong>, not a runtime: it proves the kubelet server's and the API server's
 * streams with the real kubectl where the simulated runtime has no processes. Instances live in a wrapped
 * {@link InstanceRuntime} (the simulated one); {@code exec} runs the command as a <em>local process of the test
 * JVM</em> (no container, no isolation); {@code attach} attaches to one local {@code /bin/sh} per container, started
 * on first attach and fed the attached stdin (its stdin closes when that ends, like a container with
 * {@code stdinOnce}); {@code portForward} connects to {@code 127.0.0.1:port} of the test machine. Terminal sizes the
 * client sends are recorded for assertions. The real runtime (containerd through CRI) implements the same SPI
 * methods for real.
 */
final class LocalProcessTransportRuntime extends DelegatingRuntime {

    private final InstanceRuntime instances;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<TerminalSize> resizes = new CopyOnWriteArrayList<>();
    private final Map<String, Process> shells = new ConcurrentHashMap<>();

    LocalProcessTransportRuntime(InstanceRuntime instances) {
        super(instances);
        this.instances = instances;
    }

    /** The terminal sizes every session with a tty has received, in order. */
    List<TerminalSize> resizes() {
        return resizes;
    }

    @Override
    public CompletableFuture<ExecResult> exec(InstanceId id, String container, ExecRequest request, ExecIo io) {
        requireContainer(id, container);
        Process process;
        try {
            process = new ProcessBuilder(request.command()).redirectErrorStream(request.tty()).start();
        } catch (IOException e) {
            // What a runtime reports for a command that is not there: the OCI runtime's message, exit code 127.
            write(io.stderr() != null ? io.stderr() : io.stdout(), "exec: " + e.getMessage() + "\n");
            return CompletableFuture.completedFuture(new ExecResult.Exited(127));
        }
        return run(process, io, request.tty(), true);
    }

    @Override
    public CompletableFuture<ExecResult> attach(InstanceId id, String container, AttachRequest request, ExecIo io) {
        requireContainer(id, container);
        Process shell = shells.computeIfAbsent(id + "/" + container, key -> {
            try {
                return new ProcessBuilder("/bin/sh").redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return run(shell, io, request.tty(), request.stdin());
    }

    private CompletableFuture<ExecResult> run(Process process, ExecIo io, boolean tty, boolean closeStdinAtEnd) {
        threads.execute(() -> {
            try (OutputStream in = process.getOutputStream()) {
                if (io.stdin() != null) {
                    copy(io.stdin(), in);
                }
            } catch (IOException e) {
                // the process stopped reading
            }
        });
        if (tty) {
            threads.execute(() -> {
                try {
                    TerminalSize size;
                    while ((size = io.resizes().next()) != null) {
                        resizes.add(size);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        CompletableFuture<Void> out = CompletableFuture.runAsync(() -> pump(process.getInputStream(), io.stdout()),
                threads);
        CompletableFuture<Void> err = CompletableFuture.runAsync(() -> pump(process.getErrorStream(),
                io.stderr() != null ? io.stderr() : io.stdout()), threads);
        return CompletableFuture.allOf(out, err).thenApplyAsync(v -> {
            try {
                return new ExecResult.Exited(process.waitFor());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ExecResult.Exited(-1);
            }
        }, threads);
    }

    @Override
    public PortForwardResult portForward(InstanceId id, int port) {
        if (instances.status(id).isEmpty()) {
            throw new InstanceNotFoundException(id);
        }
        try {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            return new PortForwardResult.Connected(new ForwardedPort() {
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
                    if (!socket.isClosed()) {
                        socket.shutdownOutput();
                    }
                }

                @Override
                public void close() {
                    try {
                        socket.close();
                    } catch (IOException e) {
                        // closing anyway
                    }
                }
            });
        } catch (IOException e) {
            return new PortForwardResult.Failed("dial tcp4 127.0.0.1:" + port + ": " + e.getMessage());
        }
    }

    private void requireContainer(InstanceId id, String container) {
        InstanceStatus status = instances.status(id).orElseThrow(() -> new InstanceNotFoundException(id));
        if (status.containers().stream().noneMatch(c -> c.name().equals(container))) {
            throw new ContainerNotFoundException("container " + container + " is not valid for instance " + id);
        }
    }

    private static void pump(InputStream from, OutputStream to) {
        try (from) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = from.read(buffer)) >= 0) {
                if (to != null && n > 0) {
                    to.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // the client or the process went away
        }
    }

    private static void copy(InputStream from, OutputStream to) throws IOException {
        byte[] buffer = new byte[8192];
        int n;
        while ((n = from.read(buffer)) >= 0) {
            to.write(buffer, 0, n);
            to.flush();
        }
    }

    private static void write(OutputStream out, String text) {
        try {
            if (out != null) {
                out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** Stops the shells it started and its threads; the wrapped runtime is the caller's (no super.close()). */
    @Override
    public void close() {
        shells.values().forEach(Process::destroyForcibly);
        threads.shutdownNow();
    }
}
