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
import java.util.concurrent.CompletableFuture;

/**
 * Runs a command with stdin but without a terminal in a CRI container through {@code runc exec}, because the CRI
 * streaming server of containerd 1.6 cannot pass the end of stdin on (its WebSocket protocol has no channel close;
 * see {@link ChannelSession}): {@code kubectl cp} into a pod ({@code tar xf -}) and {@code kubectl exec -i ... -- cat}
 * need that EOF to finish. Without a terminal runc hands its own stdio to the process, so the end of our pipe is the
 * process's EOF, and runc exits with the process's code. {@code ctr task exec} was tried first: it loses an EOF that
 * arrives before its exec process is set up (the pipe is closed before ctr registers its closer), which a quick
 * client's stdin does. The process joins the container's namespaces and cgroup and takes its spec's user, env,
 * capabilities and seccomp profile, as a CRI exec does. containerd 1.6's runc v2 shim keeps its runc state under the
 * fixed root {@code /run/containerd/runc/<namespace>} whatever containerd's own state dir is. Thread-safe; each call
 * starts one runc.
 */
public final class RuncExec {

    /** Where the runc v2 shim keeps the state of containers in the CRI plugin's containerd namespace. */
    private static final String RUNC_ROOT = "/run/containerd/runc/k8s.io";

    private final Path runc;

    public RuncExec(Path runc) {
        this.runc = runc;
    }

    /** Starts the command; the future completes with its exit code once it exited and its output was copied. */
    public CompletableFuture<ExecResult> exec(String containerId, List<String> command, ExecIo io) {
        List<String> argv = new ArrayList<>(List.of(runc.toString(), "--root", RUNC_ROOT, "exec", containerId));
        argv.addAll(command);
        CompletableFuture<ExecResult> result = new CompletableFuture<>();
        Thread.ofVirtual().name("cri-runc-exec").start(() -> {
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
