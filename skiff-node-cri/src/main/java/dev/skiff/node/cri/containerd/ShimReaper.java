package dev.skiff.node.cri.containerd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Kills runc shims (and the container processes they reap) that outlived their containerd, for example a sandbox
 * that was still being created when containerd was stopped. containerd 1.6 starts one
 * {@code containerd-shim-runc-v2 -namespace <ns> -id <id> -address <containerd socket>} per sandbox; the shim keeps
 * running when containerd goes away, holding the container's processes, mounts and its socket under the fixed
 * {@code /run/containerd/s} directory.
 */
final class ShimReaper {

    private static final Path SHIM_SOCKETS = Path.of("/run/containerd/s");

    private ShimReaper() {
    }

    /** A shim process found on the host. */
    record Shim(long pid, String namespace, String id) {
    }

    /** The shims started by the containerd listening on {@code socket}. */
    static List<Shim> shimsOf(Path socket) {
        List<Shim> shims = new ArrayList<>();
        for (long pid : pids()) {
            List<String> argv = cmdline(pid);
            if (argv.isEmpty() || !argv.getFirst().endsWith("containerd-shim-runc-v2")) {
                continue;
            }
            if (socket.toString().equals(option(argv, "-address"))) {
                shims.add(new Shim(pid, option(argv, "-namespace"), option(argv, "-id")));
            }
        }
        return shims;
    }

    /**
     * Kills every shim of the containerd on {@code socket} with its descendants (SIGKILL: nothing is left to stop
     * them gracefully), and removes their sockets. Returns what could not be done.
     */
    static List<String> reap(Path socket) {
        List<String> problems = new ArrayList<>();
        for (Shim shim : shimsOf(socket)) {
            for (long pid : descendants(shim.pid())) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            ProcessHandle.of(shim.pid()).ifPresent(p -> {
                p.destroyForcibly();
                p.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
            });
            if (shim.namespace() != null && shim.id() != null) {
                try {
                    Files.deleteIfExists(SHIM_SOCKETS.resolve(socketName(socket, shim.namespace(), shim.id())));
                } catch (IOException e) {
                    problems.add("shim socket of " + shim.id() + ": " + e.getMessage());
                }
            }
            problems.add("killed a shim that outlived containerd: " + shim.id());
        }
        return problems;
    }

    /** The shim socket's name: the SHA-256 of {@code <containerd socket>/<namespace>/<id>}, as containerd 1.6 names it. */
    static String socketName(Path socket, String namespace, String id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((socket + "/" + namespace + "/" + id).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Long> descendants(long pid) {
        return ProcessHandle.of(pid).map(p -> p.descendants().map(ProcessHandle::pid).toList()).orElse(List.of());
    }

    private static String option(List<String> argv, String name) {
        int i = argv.indexOf(name);
        return i >= 0 && i + 1 < argv.size() ? argv.get(i + 1) : null;
    }

    private static List<Long> pids() {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<String> cmdline(long pid) {
        try {
            String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8);
            return raw.isEmpty() ? List.of() : List.of(raw.split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }
}
