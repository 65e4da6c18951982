package dev.skiff.node.cri.stream;

import dev.skiff.node.runtime.ExecIo;
import dev.skiff.node.runtime.ExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a command with stdin but without a terminal through containerd's own {@code ctr task exec} on the same
 * socket, because the CRI streaming server of containerd 1.6 cannot pass the end of stdin on (its WebSocket protocol
 * has no channel close; see {@link ChannelSession}): {@code kubectl cp} into a pod ({@code tar xf -}) and
 * {@code kubectl exec -i ... -- cat} need that EOF to finish. {@code ctr} feeds the process through FIFOs and closes
 * its stdin when ours ends, then exits with the process's code. The process runs in the CRI container itself
 * (containerd namespace {@code k8s.io}), as a CRI exec would. Thread-safe; each call starts one {@code ctr}.
 */
public final class CtrExec {

    /** The containerd namespace the CRI plugin keeps its containers in. */
    private static final String CRI_NAMESPACE = "k8s.io";

    private final Path ctr;
    private final Path socket;

    public CtrExec(Path ctr, Path socket) {
        this.ctr = ctr;
        this.socket = socket;
    }

    /** Starts the command; the future completes with its exit code once it exited and its output was copied. */
    public CompletableFuture<ExecResult> exec(String containerId, List<String> command, ExecIo io) {
        List<String> argv = new ArrayList<>(List.of(ctr.toString(), "--address", socket.toString(), "--namespace",
                CRI_NAMESPACE, "task", "exec", "--exec-id", "skiff-" + UUID.randomUUID(), containerId));
        argv.addAll(command);
        CompletableFuture<ExecResult> result = new CompletableFuture<>();
        Thread.ofVirtual().name("cri-ctr-exec").start(() -> {
            try {
                Process process = new ProcessBuilder(argv).start();
                Thread in = Thread.ofVirtual().start(() -> copyAndClose(io.stdin(), process.getOutputStream()));
                Thread err = Thread.ofVirtual().start(() -> copy(process.getErrorStream(),
                        io.stderr() != null ? io.stderr() : io.stdout()));
                copy(process.getInputStream(), io.stdout());
                err.join();
                int code = process.waitFor();
                in.interrupt();
                result.complete(new ExecResult.Exited(code));
            } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static void copyAndClose(InputStream from, OutputStream to) {
        try (to) {
            if (from != null) {
                from.transferTo(to);
            }
        } catch (IOException e) {
            // The process went away first: nothing more to feed it.
        }
    }

    private static void copy(InputStream from, OutputStream to) {
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = from.read(buffer)) >= 0) {
                synchronized (to) {
                    to.write(buffer, 0, n);
                    to.flush();
                }
            }
        } catch (IOException e) {
            // The caller's stream closed (kubectl went away): the process finishes on its own.
        }
    }
}
