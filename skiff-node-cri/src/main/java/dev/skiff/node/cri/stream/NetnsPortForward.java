package dev.skiff.node.cri.stream;

import dev.skiff.node.runtime.ForwardedPort;
import dev.skiff.node.runtime.PortForwardResult;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Port-forward inside a pod's network namespace, as the kubelet's runtime does it: containerd's CRI
 * {@code PortForward} enters the sandbox's network namespace and dials {@code localhost:<port>} over IPv4, so a
 * server bound only to 127.0.0.1 in the pod is reached. A JVM thread cannot enter a namespace safely (setns affects
 * one OS thread, and the JVM moves work between threads), so a small helper process does it:
 * {@code nsenter --target <sandbox pid> --net busybox nc 127.0.0.1 <port>}, whose stdin and stdout are the
 * connection (busybox nc half-closes the socket when its stdin ends, which carries kubectl's half-close).
 *
 * <p>Whether anything listens is read first from the namespace's {@code /proc/<pid>/net/tcp} and {@code tcp6}
 * tables, so a closed port fails at once with a message rather than as a connection that ends without data.
 * Thread-safe; {@link #connect} blocks only to start the helper.
 *
 * @param nsenter util-linux's nsenter
 * @param busybox a busybox binary with the nc applet (the host's busybox-static)
 */
public record NetnsPortForward(Path nsenter, Path busybox) {

    /** TCP state LISTEN in the kernel's {@code /proc/net/tcp} tables. */
    private static final String LISTEN = "0A";

    /**
     * Connects to 127.0.0.1:{@code port} in the network namespace of process {@code sandboxPid} (the sandbox's
     * pause process). Answers {@link PortForwardResult.Failed} with the reason when nothing listens there or the
     * helper cannot start.
     */
    public PortForwardResult connect(long sandboxPid, int port) {
        Path proc = Path.of("/proc", Long.toString(sandboxPid), "net");
        if (!listening(proc, port)) {
            return new PortForwardResult.Failed("failed to connect to localhost:" + port
                    + " inside the pod's network namespace: connection refused");
        }
        ProcessBuilder builder = new ProcessBuilder(nsenter.toString(), "--target", Long.toString(sandboxPid), "--net",
                busybox.toString(), "nc", "127.0.0.1", Integer.toString(port))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process helper = builder.start();
            return new PortForwardResult.Connected(new ProcessPort(helper, new Flushing(helper.getOutputStream())));
        } catch (IOException e) {
            return new PortForwardResult.Failed("cannot enter the pod's network namespace: " + e.getMessage());
        }
    }

    /** Whether a TCP socket listens on {@code port} for 127.0.0.1 (bound to it, to 0.0.0.0 or to ::). */
    static boolean listening(Path procNet, int port) {
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        List<String> accepted = List.of("00000000:" + hexPort, "0100007F:" + hexPort,
                "00000000000000000000000000000000:" + hexPort, "0000000000000000FFFF00000100007F:" + hexPort);
        for (String table : List.of("tcp", "tcp6")) {
            try {
                for (String line : Files.readAllLines(procNet.resolve(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[3].equals(LISTEN) && accepted.contains(f[1].toUpperCase(Locale.ROOT))) {
                        return true;
                    }
                }
            } catch (IOException e) {
                // no such table (IPv6 disabled) or the sandbox is gone: nothing listens there
            }
        }
        return false;
    }

    /**
     * A forwarded connection carried by the helper's stdin and stdout; closing stdin half-closes the socket.
     * {@code output} flushes every write: a process's stdin is buffered, and a caller copying a request (a
     * socket's stream needs no flush) would otherwise leave it in the buffer while it waits for the answer.
     */
    private record ProcessPort(Process process, OutputStream output) implements ForwardedPort {

        @Override
        public InputStream input() {
            return process.getInputStream();
        }

        @Override
        public void closeOutput() throws IOException {
            output.close();
        }

        @Override
        public void close() {
            process.destroy();
            try {
                output.close();
                process.getInputStream().close();
            } catch (IOException ignored) {
                // the helper is gone
            }
        }
    }

    /** Writes through at once, as a socket's output does. */
    private static final class Flushing extends FilterOutputStream {

        Flushing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            out.flush();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            out.flush();
        }
    }
}
