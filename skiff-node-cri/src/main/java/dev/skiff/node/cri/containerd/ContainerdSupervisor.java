package dev.skiff.node.cri.containerd;

import dev.skiff.node.cri.client.CriClient;
import dev.skiff.node.cri.client.CriException;
import dev.skiff.node.cri.net.PodNetwork;
import dev.skiff.node.cri.proto.PodSandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a private containerd for Skiff: writes its configuration under a data dir, starts it as a child process,
 * waits until its CRI answers, and on {@link #stop()} leaves the host as it found it.
 *
 * <p>Stop order matters (containerd 1.6): the runc shims outlive containerd, so every pod sandbox is stopped and
 * removed through the CRI first (which also runs the CNI DEL), then containerd is stopped, then what containerd and
 * the bridge plugin leave behind is removed: mounts under the data dir, the bridge, libcni's cached results, the
 * cgroup parents, and the state directories.
 *
 * <p>Each supervisor has a random id naming its bridge, CNI network and cgroup parent, so two supervisors (two test
 * runs, two workers) on one host never share any of them. Thread-safe.
 */
public final class ContainerdSupervisor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerdSupervisor.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /**
     * @param dataDir        the directory Skiff gives containerd (created if needed)
     * @param sandboxImage   the pause image of every sandbox
     * @param cniPluginDir   the system's CNI plugins ({@link HostRequirements#DEBIAN_CNI_DIR})
     * @param keepImages     whether {@link #stop()} keeps containerd's content store (the image cache) for the
     *                       next start; tests pass false to leave nothing behind
     */
    public record Options(Path dataDir, String sandboxImage, Path cniPluginDir, boolean keepImages) {
        public Options {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(sandboxImage, "sandboxImage");
            cniPluginDir = cniPluginDir == null ? HostRequirements.DEBIAN_CNI_DIR : cniPluginDir;
        }
    }

    private final Options options;
    private final String id;
    private final ContainerdConfig config;
    private final PodNetwork network;
    private Process process;
    private CriClient client;
    private boolean stopped;
    private final RegistryHosts registries;

    private ContainerdSupervisor(Options options) {
        this.options = options;
        this.id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 7);
        Path dir = options.dataDir().toAbsolutePath();
        this.network = new PodNetwork("skiff-" + id, "skiff" + id, dir.resolve("cni"));
        this.config = new ContainerdConfig(dir.resolve("containerd"), network.binDir(), network.confDir(),
                options.sandboxImage(), 0);
        this.registries = new RegistryHosts(config.registryHosts());
    }

    /**
     * Checks the host, writes the configuration, starts containerd and waits until its CRI answers.
     *
     * @throws MissingHostPackagesException when containerd, runc or the CNI plugins are not installed
     */
    public static ContainerdSupervisor start(Options options) {
        HostRequirements.check(options.cniPluginDir());
        ContainerdSupervisor supervisor = new ContainerdSupervisor(options);
        try {
            supervisor.launch();
            return supervisor;
        } catch (RuntimeException e) {
            supervisor.stop();
            throw e;
        }
    }

    private synchronized void launch() {
        try {
            Files.createDirectories(config.dir());
            Files.createDirectories(config.registryHosts());
            network.install(options.cniPluginDir());
            Files.writeString(config.configFile(), config.toml(), StandardCharsets.UTF_8);
            Path containerd = Objects.requireNonNull(HostRequirements.onPath("containerd"), "containerd");
            Path log = config.dir().resolve("containerd.log");
            process = new ProcessBuilder(containerd.toString(), "--config", config.configFile().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client = CriClient.connect(config.socket());
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("containerd exited with " + process.exitValue() + " at start; see "
                        + config.dir().resolve("containerd.log"));
            }
            try {
                if (Files.exists(config.socket())) {
                    client.version();
                    break;
                }
            } catch (CriException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("containerd did not answer within " + START_TIMEOUT, e);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("containerd's socket did not appear within " + START_TIMEOUT);
            }
            try {
                // Polling the socket: containerd is up ~0.1 s after launch, so a short pause is enough.
                process.waitFor(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting containerd", e);
            }
        }
        LOG.info("containerd {} started (pid {}, socket {}, bridge {})", client.version().getRuntimeVersion(),
                process.pid(), config.socket(), network.bridge());
    }

    /** The CRI client of this containerd. */
    public CriClient client() {
        return client;
    }

    public PodNetwork network() {
        return network;
    }

    public ContainerdConfig config() {
        return config;
    }

    /** The cgroupfs parent this supervisor's sandboxes live under ({@code /skiff-<id>}). */
    public String cgroupParent() {
        return "/skiff-" + id;
    }

    /** Where sandboxes write their container logs. */
    public Path logRoot() {
        return options.dataDir().toAbsolutePath().resolve("pods");
    }

    /** Lets containerd pull from {@code hostPort} over plain HTTP (e.g. a registry on loopback). Idempotent. */
    public void allowPlainHttp(String hostPort) {
        registries.allowPlainHttp(hostPort);
    }

    /** The registry host files of this containerd, for runtimes that honour pods' registry annotations. */
    public RegistryHosts registries() {
        return registries;
    }

    /**
     * Removes every pod sandbox, stops containerd and cleans up the host. Idempotent; best effort: problems are
     * logged, and cleanup goes on.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (client != null && process != null && process.isAlive()) {
            try {
                for (PodSandbox sandbox : client.listPodSandboxes(Map.of())) {
                    try {
                        client.stopPodSandbox(sandbox.getId());
                        client.removePodSandbox(sandbox.getId());
                    } catch (CriException e) {
                        LOG.warn("removing sandbox {} failed: {}", sandbox.getId(), e.getMessage());
                    }
                }
            } catch (CriException e) {
                LOG.warn("listing sandboxes at stop failed: {}", e.getMessage());
            }
        }
        if (client != null) {
            client.close();
        }
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        List<String> problems = new ArrayList<>();
        // Shims of sandboxes containerd was still creating when it stopped would hold processes and mounts.
        problems.addAll(ShimReaper.reap(config.socket()));
        problems.addAll(HostCleanup.unmountUnder(options.dataDir().toAbsolutePath()));
        problems.addAll(network.uninstall());
        problems.addAll(HostCleanup.removeCgroups(cgroupParent()));
        problems.addAll(HostCleanup.deleteTree(config.state()));
        problems.addAll(HostCleanup.deleteTree(logRoot()));
        problems.addAll(HostCleanup.deleteTree(network.binDir().getParent()));
        if (!options.keepImages()) {
            problems.addAll(HostCleanup.deleteTree(config.dir()));
        }
        problems.forEach(p -> LOG.warn("cleanup after containerd: {}", p));
        LOG.info("containerd stopped{}", problems.isEmpty() ? "" : " (" + problems.size() + " cleanup problems)");
    }

    @Override
    public void close() {
        stop();
    }
}
