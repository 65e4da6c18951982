package dev.skiff.node.cri;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A second distribution registry serving another registry's storage (read-only use) on an address containerd does
 * not treat as local: plain HTTP, or HTTPS with a self-signed certificate made by openssl. Local addresses
 * (localhost, 127.0.0.0/8) are pulled over plain HTTP by containerd without any configuration, so the mirror
 * listens on one of the host's own non-loopback addresses. {@link #close()} stops it and deletes its files.
 */
final class MirrorRegistry implements AutoCloseable {

    private final Process process;
    private final Path dir;
    final String address;

    private MirrorRegistry(Process process, Path dir, String address) {
        this.process = process;
        this.dir = dir;
        this.address = address;
    }

    /** A non-loopback IPv4 address of this host outside Skiff's pod bridges, if it has one. */
    static Optional<InetAddress> hostAddress() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || nic.getName().startsWith("skiff")
                        || nic.getName().startsWith("veth")) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return Optional.of(a);
                    }
                }
            }
        } catch (SocketException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Serves {@code storage} on {@code ip}; with TLS when {@code tls} (a certificate for that IP). */
    static MirrorRegistry start(Path storage, InetAddress ip, boolean tls) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("skiff-mirror-registry-");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, ip)) {
            port = probe.getLocalPort();
        }
        String address = ip.getHostAddress() + ":" + port;
        StringBuilder config = new StringBuilder("version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\n")
                .append("storage:\n  filesystem:\n    rootdirectory: \"").append(storage.toAbsolutePath())
                .append("\"\n  maintenance:\n    uploadpurging:\n      enabled: false\n")
                .append("http:\n  addr: \"").append(address).append("\"\n");
        if (tls) {
            Path cert = dir.resolve("cert.pem");
            Path key = dir.resolve("key.pem");
            Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-days", "1", "-subj", "/CN=skiff-test-registry", "-addext",
                    "subjectAltName=IP:" + ip.getHostAddress(), "-keyout", key.toString(), "-out", cert.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
            if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
                throw new IllegalStateException("openssl failed: " + Files.readString(dir.resolve("openssl.log")));
            }
            config.append("  tls:\n    certificate: \"").append(cert).append("\"\n    key: \"").append(key)
                    .append("\"\n");
        }
        Files.writeString(dir.resolve("config.yml"), config);
        Process process = new ProcessBuilder("docker-registry", "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        MirrorRegistry mirror = new MirrorRegistry(process, dir, address);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the mirror registry exited: "
                            + Files.readString(dir.resolve("registry.log")));
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(ip, port), 500);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
            return mirror;
        } catch (RuntimeException e) {
            mirror.close();
            throw e;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
