package dev.skiff.bench.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The raw peer: containerd's own client {@code ctr} (shipped with containerd) on the benchmark's containerd socket, in
 * a containerd namespace of its own so it never sees or touches the cluster's sandboxes ({@code k8s.io}).
 *
 * <p>What a measured start does: {@code ctr run -d IMAGE ID sleep 3600} creates a container from the unpacked image
 * (an overlay snapshot), starts a runc shim and the task, and exits once the task runs. That is containerd's part of
 * a pod start without any of Kubernetes: no pod sandbox (pause container), no CNI network namespace or address, no
 * API server, scheduler, node agent or status write. Removal is not timed. Not thread-safe.
 */
final class RawCtr implements AutoCloseable {

    static final String NAMESPACE = "skiff-bench-raw";
    private static final long TIMEOUT_SECONDS = 120;

    private final Path socket;
    private final List<String> started = new ArrayList<>();
    private int next;

    RawCtr(Path socket) {
        this.socket = socket;
    }

    /** Whether a {@code ctr} binary can be run. */
    static boolean available() {
        try {
            Process p = new ProcessBuilder("ctr", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Pulls {@code image} over plain HTTP into the peer's namespace (not timed: the peer's starts are cached). */
    void pull(String image) {
        ctr("images", "pull", "--plain-http", image);
    }

    /** One timed detached start: milliseconds until {@code ctr run -d} returned with the task running. */
    double timedDetachedStart(String image) {
        String id = "raw-" + (next++);
        started.add(id);
        long t0 = System.nanoTime();
        ctr("run", "-d", image, id, "sleep", "3600");
        double millis = (System.nanoTime() - t0) / 1e6;
        remove(id);
        return millis;
    }

    /** One timed run to completion: milliseconds of {@code ctr run --rm IMAGE ID true} (start, exit, removal). */
    double timedRunToCompletion(String image) {
        String id = "raw-rm-" + (next++);
        long t0 = System.nanoTime();
        ctr("run", "--rm", image, id, "true");
        return (System.nanoTime() - t0) / 1e6;
    }

    private void remove(String id) {
        ctrQuietly("task", "kill", "-s", "SIGKILL", id);
        // The task must have exited before it can be deleted; kill is asynchronous, delete --force waits for it.
        ctrQuietly("task", "delete", "--force", id);
        ctrQuietly("container", "delete", id);
        started.remove(id);
    }

    /** Removes what the peer left: its tasks, containers, images and namespace. Idempotent. */
    @Override
    public void close() {
        for (String id : List.copyOf(started)) {
            remove(id);
        }
        String images = ctrQuietly("images", "ls", "-q");
        for (String image : images.lines().map(String::strip).filter(s -> !s.isEmpty()).toList()) {
            ctrQuietly("images", "rm", image);
        }
        ctrQuietly("namespaces", "rm", NAMESPACE);
    }

    private String ctr(String... args) {
        Result r = exec(args);
        if (r.exit() != 0) {
            throw new IllegalStateException("ctr " + String.join(" ", args) + " failed (exit " + r.exit() + "): "
                    + r.output().strip());
        }
        return r.output();
    }

    private String ctrQuietly(String... args) {
        Result r = exec(args);
        return r.exit() == 0 ? r.output() : "";
    }

    private record Result(int exit, String output) {
    }

    private Result exec(String... args) {
        List<String> command = new ArrayList<>(List.of("ctr", "--address", socket.toString(), "--namespace",
                NAMESPACE));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
