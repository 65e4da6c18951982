package dev.skiff.storage.etcd;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-member etcd running as a child process on 127.0.0.1, for tests and benchmarks.
 *
 * <p>It listens on two free loopback ports (client and peer), keeps its data in a given directory or in a temporary
 * one that {@link #close()} deletes, and writes its log to {@code etcd.log} in that directory rather than to our
 * console. {@link #start} returns once etcd reports itself healthy. Limits are raised above etcd's defaults so that
 * every value the SPI accepts ({@link dev.skiff.storage.Keys#MAX_VALUE_BYTES}) fits in one request.
 *
 * <p>{@link #close()} stops only the process this instance started: SIGTERM, then SIGKILL if it has not exited after
 * a few seconds. A JVM shutdown hook does the same if the JVM exits without closing. Thread-safe; {@code close} is
 * idempotent and blocks until the process is gone.
 */
public final class LocalEtcd implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalEtcd.class);

    static final String NOT_FOUND = "etcd not found: install it with `apt-get install -y etcd-server`";
    private static final String FALLBACK_BINARY = "/usr/bin/etcd";
    /** Room for the largest value the SPI accepts (6 MiB) plus the request around it. */
    static final long MAX_REQUEST_BYTES = 8L * 1024 * 1024;
    /** etcd's default of 2 GiB fills up under a long benchmark (it then refuses writes); stay below its 8 GiB cap. */
    static final long QUOTA_BACKEND_BYTES = 4L * 1024 * 1024 * 1024;
    static final String PROGRESS_INTERVAL = "100ms";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final Path binary;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final URI clientUrl;
    private final Thread shutdownHook;
    private boolean closed;

    private LocalEtcd(Process process, Path binary, Path dataDir, boolean deleteOnClose, URI clientUrl) {
        this.process = process;
        this.binary = binary;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.clientUrl = clientUrl;
        this.shutdownHook = new Thread(this::stopProcess, "skiff-local-etcd-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts etcd in a new temporary directory under the system temp dir, deleted again by {@link #close()}. */
    public static LocalEtcd startTemporary() {
        return startTemporary(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** Starts etcd in a new temporary directory under {@code parent}, deleted again by {@link #close()}. */
    public static LocalEtcd startTemporary(Path parent) {
        Path binary = findBinary(System.getenv("PATH"));
        Path dir;
        try {
            Files.createDirectories(parent);
            dir = Files.createTempDirectory(parent, "etcd-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data directory for etcd under " + parent, e);
        }
        try {
            return start(binary, dir, true);
        } catch (RuntimeException e) {
            deleteRecursively(dir);
            throw e;
        }
    }

    /** Starts etcd keeping its data in {@code dataDir} (created if missing, kept on close). */
    public static LocalEtcd start(Path dataDir) {
        Path binary = findBinary(System.getenv("PATH"));
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create etcd's data directory " + dataDir, e);
        }
        return start(binary, dataDir, false);
    }

    private static LocalEtcd start(Path binary, Path dataDir, boolean deleteOnClose) {
        // Free ports are found by binding port 0 and releasing it, so another process can take one in between;
        // etcd then exits at once and we simply try again with new ports.
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return launch(binary, dataDir, deleteOnClose);
            } catch (PortTakenException e) {
                last = e;
                LOG.debug("etcd could not bind its ports (attempt {}), retrying with others", attempt);
            }
        }
        throw last;
    }

    private static LocalEtcd launch(Path binary, Path dataDir, boolean deleteOnClose) {
        int clientPort = freePort();
        int peerPort = freePort();
        while (peerPort == clientPort) {
            peerPort = freePort();
        }
        URI clientUrl = URI.create("http://127.0.0.1:" + clientPort);
        String peerUrl = "http://127.0.0.1:" + peerPort;
        Path log = dataDir.resolve("etcd.log");
        List<String> command = List.of(
                binary.toString(),
                "--name", "skiff-local",
                "--data-dir", dataDir.resolve("member-data").toString(),
                "--listen-client-urls", clientUrl.toString(),
                "--advertise-client-urls", clientUrl.toString(),
                "--listen-peer-urls", peerUrl,
                "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", "skiff-local=" + peerUrl,
                "--initial-cluster-state", "new",
                "--max-request-bytes", Long.toString(MAX_REQUEST_BYTES),
                "--quota-backend-bytes", Long.toString(QUOTA_BACKEND_BYTES),
                // Idle watches learn every 100 ms that they are current (WatchListener.onProgress), so an API
                // server's cache can serve consistent reads without waiting long for a write in its range.
                "--experimental-watch-progress-notify-interval", PROGRESS_INTERVAL,
                "--logger", "zap",
                "--log-outputs", log.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // etcd reads ETCD_* variables as flags and refuses to start when one duplicates a flag we pass.
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("ETCD_"));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        LocalEtcd etcd = new LocalEtcd(process, binary, dataDir, deleteOnClose, clientUrl);
        try {
            etcd.awaitHealthy(log);
            LOG.info("etcd (pid {}) listening on {}, data in {}", process.pid(), clientUrl, dataDir);
            return etcd;
        } catch (RuntimeException e) {
            etcd.stopProcess();
            etcd.removeHook();
            throw e;
        }
    }

    /** Polls etcd's /health endpoint until it reports a leader, the process exits, or the deadline passes. */
    private void awaitHealthy(Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(clientUrl.resolve("/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String tail = tail(log);
                if (tail.contains("address already in use")) {
                    throw new PortTakenException(tail);
                }
                throw new IllegalStateException("etcd exited with status " + process.exitValue()
                        + " while starting; its log ends with:\n" + tail);
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"health\":\"true\"")) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for etcd to start", e);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        throw new IllegalStateException("etcd did not become healthy within " + START_TIMEOUT
                + "; its log ends with:\n" + tail(log));
    }

    /** The client URLs to connect to. */
    public List<URI> endpoints() {
        return List.of(clientUrl);
    }

    /** Where etcd keeps its data and its log. */
    public Path dataDir() {
        return dataDir;
    }

    /** The etcd executable that runs. */
    public Path binary() {
        return binary;
    }

    /** The first line of {@code etcd --version} (e.g. "etcd Version: 3.4.23"), for reports. */
    public String version() {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return out.lines().findFirst().orElse("etcd (unknown version)").trim();
        } catch (IOException e) {
            return "etcd (version unknown: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "etcd (version unknown: interrupted)";
        }
    }

    /** The process id of the etcd process. */
    public long pid() {
        return process.pid();
    }

    /** Whether the etcd process is still running. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops etcd (SIGTERM, then SIGKILL) and deletes a temporary data directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopProcess();
        removeHook();
        if (deleteOnClose) {
            deleteRecursively(dataDir);
        }
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook is running or has run.
        }
    }

    private void stopProcess() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM: etcd closes its database cleanly
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("etcd (pid {}) did not stop within {}; killing it", process.pid(), STOP_GRACE);
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The etcd binary: the first {@code etcd} on {@code path}, else the Debian location. */
    static Path findBinary(String path) {
        return findBinary(path, Path.of(FALLBACK_BINARY));
    }

    static Path findBinary(String path, Path fallback) {
        return locate(path, fallback).orElseThrow(() -> new IllegalStateException(NOT_FOUND));
    }

    private static Optional<Path> locate(String path, Path fallback) {
        List<Path> candidates = new ArrayList<>();
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, "etcd"));
                }
            }
        }
        candidates.add(fallback);
        return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on the loopback interface", e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete etcd data directory {}", dir, e);
        }
    }

    @Override
    public String toString() {
        return "LocalEtcd[" + clientUrl + ", pid " + process.pid() + ", " + dataDir + "]";
    }

    /** etcd exited because a port was taken between our probe and its bind. */
    private static final class PortTakenException extends IllegalStateException {
        PortTakenException(String log) {
            super("etcd could not bind its ports; its log ends with:\n" + log);
        }
    }
}
