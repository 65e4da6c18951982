package dev.skiff.image.local;

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
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A distribution registry ({@code docker-registry serve config.yml}) running as a child process on 127.0.0.1.
 *
 * <p>{@link #start} writes {@code config.yml} (filesystem storage in {@code storage/}, deletes allowed, access log
 * off, a random upload-state secret, htpasswd auth when users are given) and {@code htpasswd} into the data
 * directory, starts the registry with its output in {@code registry.log}, and returns once {@code GET /v2/} answers
 * (200, or 401 with auth). It then writes the address to {@code address} in the data directory, which
 * {@link #readAddress} reads (the CLI's default push target). {@code REGISTRY_*} variables are removed from the
 * child's environment because the registry lets them override its config file.
 *
 * <p>{@link #close()} stops only the process this instance started (SIGTERM, then SIGKILL after a grace period),
 * removes the address file and, for temporary registries, the data directory. A JVM shutdown hook does the same if
 * the JVM exits without closing. Thread-safe; {@code close} is idempotent and blocks until the process is gone.
 */
public final class LocalRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalRegistry.class);

    static final String NOT_FOUND = "docker-registry not found: install it with `apt-get install -y docker-registry`";
    public static final String ADDRESS_FILE = "address";
    private static final String BINARY_NAME = "docker-registry";
    private static final Path FALLBACK_BINARY = Path.of("/usr/bin/docker-registry");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final RegistryOptions options;
    private final String address;
    private final Thread shutdownHook;
    private boolean closed;

    private LocalRegistry(Process process, RegistryOptions options, String address) {
        this.process = process;
        this.options = options;
        this.address = address;
        this.shutdownHook = new Thread(this::stopProcess, "skiff-local-registry-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a registry as {@code options} say; blocks until it answers or fails with the end of its log. */
    public static LocalRegistry start(RegistryOptions options) {
        Path binary = findBinary(System.getenv("PATH"));
        try {
            Files.createDirectories(options.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the registry's data directory " + options.dataDir(), e);
        }
        if (options.port() != 0) {
            if (!portFree(options.port())) {
                throw new IllegalStateException("cannot start the registry: port " + options.port()
                        + " on 127.0.0.1 is already in use (choose another with --registry-port)");
            }
            return launch(binary, options, options.port());
        }
        // A free port is found by binding port 0 and releasing it, so another process may take it in between; the
        // registry then exits at once and we try again with another port.
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return launch(binary, options, freePort());
            } catch (PortTakenException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Starts an open registry on a free port in a new temporary directory under {@code parent}, deleted on close. */
    public static LocalRegistry startTemporary(Path parent) {
        try {
            Files.createDirectories(parent);
            return start(RegistryOptions.of(Files.createTempDirectory(parent, "registry-")).deletingOnClose());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a registry directory under " + parent, e);
        }
    }

    private static LocalRegistry launch(Path binary, RegistryOptions options, int port) {
        Path dir = options.dataDir();
        String address = "127.0.0.1:" + port;
        Path config = dir.resolve("config.yml");
        Path log = dir.resolve("registry.log");
        try {
            Files.deleteIfExists(dir.resolve(ADDRESS_FILE));
            Files.createDirectories(dir.resolve("storage"));
            Path htpasswd = null;
            if (!options.users().isEmpty()) {
                htpasswd = dir.resolve("htpasswd");
                Files.writeString(htpasswd, Htpasswd.render(options.users(), new SecureRandom()));
            }
            Files.writeString(config, RegistryConfig.render(dir.resolve("storage"), address, htpasswd, secret()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the registry's configuration in " + dir, e);
        }
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "serve", config.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        LocalRegistry registry = new LocalRegistry(process, options, address);
        try {
            registry.awaitServing(log);
            Files.writeString(dir.resolve(ADDRESS_FILE), address + "\n");
            LOG.info("registry (pid {}) listening on {}, data in {}", process.pid(), address, dir);
            return registry;
        } catch (RuntimeException | IOException e) {
            registry.stopProcess();
            registry.removeHook();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot record the registry address in " + dir, io);
            }
            throw (RuntimeException) e;
        }
    }

    private void awaitServing(Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address + "/v2/"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String tail = tail(log);
                if (tail.contains("address already in use")) {
                    throw new PortTakenException(tail);
                }
                throw new IllegalStateException("the registry exited with status " + process.exitValue()
                        + " while starting; its log ends with:\n" + tail);
            }
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the registry to start", e);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        throw new IllegalStateException("the registry did not answer on " + address + " within " + START_TIMEOUT
                + "; its log ends with:\n" + tail(log));
    }

    /** {@code 127.0.0.1:<port>}: the host part of image references pushed here. */
    public String address() {
        return address;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI baseUri() {
        return URI.create("http://" + address);
    }

    public int port() {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    public Path dataDir() {
        return options.dataDir();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** The address recorded by a registry running with data in {@code dataDir}, if one was started there. */
    public static Optional<String> readAddress(Path dataDir) {
        Path file = dataDir.resolve(ADDRESS_FILE);
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String address = Files.readString(file, StandardCharsets.UTF_8).strip();
            return address.isEmpty() ? Optional.empty() : Optional.of(address);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Stops the registry, removes its address file and, if temporary, its data directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopProcess();
        removeHook();
        try {
            Files.deleteIfExists(options.dataDir().resolve(ADDRESS_FILE));
        } catch (IOException e) {
            LOG.warn("could not remove {}", options.dataDir().resolve(ADDRESS_FILE), e);
        }
        if (options.deleteOnClose()) {
            deleteRecursively(options.dataDir());
        }
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook runs
        }
    }

    private void stopProcess() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM: the registry shuts its HTTP server down
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("registry (pid {}) did not stop within {}; killing it", process.pid(), STOP_GRACE);
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The registry binary: the first {@code docker-registry} on {@code path}, else the Debian location. */
    static Path findBinary(String path) {
        List<Path> candidates = new ArrayList<>();
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, BINARY_NAME));
                }
            }
        }
        candidates.add(FALLBACK_BINARY);
        return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst()
                .orElseThrow(() -> new IllegalStateException(NOT_FOUND));
    }

    /** Whether {@code port} on 127.0.0.1 can be bound now. */
    public static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on the loopback interface", e);
        }
    }

    private static String secret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
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
            LOG.warn("could not delete the registry directory {}", dir, e);
        }
    }

    @Override
    public String toString() {
        return "LocalRegistry[" + address + ", pid " + process.pid() + ", " + options.dataDir() + "]";
    }

    /** The registry exited because its port was taken between our probe and its bind. */
    private static final class PortTakenException extends IllegalStateException {
        PortTakenException(String log) {
            super("the registry could not bind its port; its log ends with:\n" + log);
        }
    }
}
