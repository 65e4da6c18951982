package dev.skiff.node.cri.containerd;

import dev.skiff.node.runtime.RegistryAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * containerd's registry host directory ({@code config_path}, one {@code <host[:port]>/hosts.toml} per registry),
 * which containerd 1.6's CRI plugin reads afresh at every pull. Two kinds of entries live here:
 * <ul>
 *   <li>the node's own settings ({@link #allowPlainHttp}: Skiff's local registry on loopback), and</li>
 *   <li>what one pull asks for through ECI's {@code plain-http-registry} / {@code insecure-registry} annotations
 *   ({@link #use}): the file is written for that registry right before the pull and stays as long as the pull
 *   runs.</li>
 * </ul>
 * Pods may disagree about one registry (one says plain HTTP, another nothing). Since containerd reads one file per
 * host, pulls of one registry with different modes are serialised: a pull waits until the pulls with another mode
 * of the same registry have finished, then rewrites the file; pulls with the same mode share it and run together.
 * So each pull sees exactly the transport its own pod asked for, as on ECI where every instance pulls for itself,
 * and a pod without the annotation never rides on another pod's plain-HTTP setting. Pulls of different registries
 * never wait for each other. Thread-safe; {@link #use} blocks.
 */
public final class RegistryHosts {

    private final Path dir;
    /** The node's own hosts.toml per registry: what a pull without annotations gets. */
    private final Map<String, String> baseline = new HashMap<>();
    /** Per registry: the mode its file is written for and how many pulls use it now. */
    private final Map<String, Slot> slots = new HashMap<>();

    private static final class Slot {
        RegistryAccess.Mode written = RegistryAccess.Mode.DEFAULT;
        int users;
    }

    /** A pull's hold on one registry's file; closing it lets pulls with another mode rewrite it. */
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    /** @param dir the directory containerd's {@code config_path} names (created if missing) */
    public RegistryHosts(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    public Path dir() {
        return dir;
    }

    /**
     * Lets containerd pull from {@code hostPort} over plain HTTP for every pull that asks nothing else (the node's
     * own setting, e.g. a registry on loopback). Idempotent.
     */
    public synchronized void allowPlainHttp(String hostPort) {
        String toml = hostsToml(hostPort, RegistryAccess.Mode.PLAIN_HTTP);
        baseline.put(hostPort, toml);
        checkName(hostPort);
        Slot slot = slots.get(hostPort);
        if (slot == null || slot.users == 0 || slot.written == RegistryAccess.Mode.DEFAULT) {
            write(hostPort, toml);
            if (slot != null) {
                slot.written = RegistryAccess.Mode.DEFAULT;
            }
        }
    }

    /**
     * Makes {@code registry}'s file say {@code mode} and holds it so until the lease is closed. Blocks while pulls
     * of the same registry with another mode run (see the class comment). Not reentrant per thread for different
     * modes: a thread holding a lease must not ask for another mode of the same registry.
     *
     * @throws InterruptedException when interrupted while waiting; nothing is held then
     */
    public Lease use(String registry, RegistryAccess.Mode mode) throws InterruptedException {
        Objects.requireNonNull(mode, "mode");
        checkName(registry);
        synchronized (this) {
            Slot slot = slots.computeIfAbsent(registry, r -> new Slot());
            while (slot.users > 0 && slot.written != mode) {
                wait();
            }
            if (slot.written != mode) {
                String toml = mode == RegistryAccess.Mode.DEFAULT ? baseline.get(registry) : hostsToml(registry, mode);
                if (toml == null) {
                    remove(registry);
                } else {
                    write(registry, toml);
                }
                slot.written = mode;
            }
            slot.users++;
            return new Lease() {
                private boolean closed;

                @Override
                public void close() {
                    synchronized (RegistryHosts.this) {
                        if (!closed) {
                            closed = true;
                            slot.users--;
                            RegistryHosts.this.notifyAll();
                        }
                    }
                }
            };
        }
    }

    /**
     * A registry name must be one directory name under {@link #dir}: it comes from an image reference, which a
     * user writes (a reference like {@code ../x/app} must not write outside).
     */
    static void checkName(String registry) {
        if (!registry.matches("[A-Za-z0-9\\[\\]][A-Za-z0-9.:\\[\\]-]*") || registry.contains("..")) {
            throw new IllegalArgumentException("invalid registry host \"" + registry + "\"");
        }
    }

    /** The {@code hosts.toml} containerd reads for {@code hostPort} in {@code mode} (not DEFAULT). */
    static String hostsToml(String hostPort, RegistryAccess.Mode mode) {
        return switch (mode) {
            case PLAIN_HTTP -> ContainerdConfig.plainHttpHosts(hostPort);
            case INSECURE -> """
                    server = "https://%1$s"

                    [host."https://%1$s"]
                      capabilities = ["pull", "resolve"]
                      skip_verify = true
                    """.formatted(hostPort);
            case DEFAULT -> throw new IllegalArgumentException("the default mode has no file of its own");
        };
    }

    private void write(String hostPort, String toml) {
        try {
            Path host = dir.resolve(hostPort);
            Files.createDirectories(host);
            // Written beside and moved: containerd may read the file while a pull of another registry resolves.
            Path temporary = host.resolve("hosts.toml.tmp");
            Files.writeString(temporary, toml, StandardCharsets.UTF_8);
            Files.move(temporary, host.resolve("hosts.toml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the registry configuration of " + hostPort, e);
        }
    }

    private void remove(String hostPort) {
        try {
            Files.deleteIfExists(dir.resolve(hostPort).resolve("hosts.toml"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the registry configuration of " + hostPort, e);
        }
    }
}
