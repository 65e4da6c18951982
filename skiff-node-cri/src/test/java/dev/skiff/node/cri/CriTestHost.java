package dev.skiff.node.cri;

import dev.skiff.image.build.BusyboxRootfs;
import dev.skiff.image.build.ImageConfig;
import dev.skiff.image.testing.TestRegistry;
import dev.skiff.node.cri.containerd.ContainerdSupervisor;
import dev.skiff.node.ipam.Cidr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real host for cri tests: a registry on loopback with busybox and a pause image pushed, and a private containerd
 * in a temporary directory. {@link #close()} removes every sandbox, stops containerd and the registry and cleans the
 * host (bridge, mounts, cgroups, directories), also after a failed test.
 */
final class CriTestHost implements AutoCloseable {

    final TestRegistry registry;
    final ContainerdSupervisor containerd;
    final Path dir;
    final Cidr cidr;
    final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    final ExecutorService notifications = Executors.newVirtualThreadPerTaskExecutor();

    private CriTestHost(TestRegistry registry, ContainerdSupervisor containerd, Path dir, Cidr cidr) {
        this.registry = registry;
        this.containerd = containerd;
        this.dir = dir;
        this.cidr = cidr;
    }

    static CriTestHost start() {
        TestRegistry registry = TestRegistry.start();
        Path dir = null;
        try {
            // The pause container only has to hold the sandbox's namespaces: busybox sleeping for ~68 years.
            String pause = registry.push("skiff/pause", "latest", BusyboxRootfs.create(),
                    ImageConfig.defaults().withCmd(List.of("sleep", "2147483647")));
            dir = Files.createTempDirectory("skiff-cri-");
            ContainerdSupervisor containerd = ContainerdSupervisor.start(
                    new ContainerdSupervisor.Options(dir, pause, null, false));
            containerd.allowPlainHttp(registry.address());
            // A random /22 in 10.200.0.0-10.249.255.255, so concurrent test runs on one host use different subnets.
            ThreadLocalRandom random = ThreadLocalRandom.current();
            Cidr cidr = Cidr.parse("10." + (200 + random.nextInt(50)) + "." + random.nextInt(64) * 4 + ".0/22");
            return new CriTestHost(registry, containerd, dir, cidr);
        } catch (RuntimeException | IOException e) {
            registry.close();
            if (dir != null) {
                deleteQuietly(dir);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    String busybox() {
        return registry.busybox();
    }

    /** A runtime with short timings (restarts after tens of milliseconds), as the contract suite needs. */
    CriRuntime newRuntime() {
        CriRuntimeConfig config = CriRuntimeConfig.defaults("test-" + UUID.randomUUID().toString().substring(0, 8),
                        cidr, containerd.cgroupParent(), containerd.logRoot())
                .withTimings(Duration.ofMillis(100), Duration.ofMillis(50), Duration.ofMillis(400));
        return newRuntime(config);
    }

    /** Deletes every instance of {@code runtime} at once (no grace) and closes it: what each test leaves behind. */
    static void discard(CriRuntime runtime, Duration patience) throws Exception {
        for (var s : runtime.list()) {
            runtime.delete(s.id(), Duration.ZERO).get(patience.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        }
        runtime.close();
    }

    CriRuntime newRuntime(CriRuntimeConfig config) {
        return new CriRuntime(containerd.client(), containerd.network(), config, Clock.systemUTC(), timers,
                notifications, StartGate.unbounded(), containerd.registries());
    }

    @Override
    public void close() {
        try {
            containerd.stop();
        } finally {
            timers.shutdownNow();
            notifications.shutdownNow();
            registry.close();
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort: a leftover empty temp directory harms nobody
        }
    }
}
