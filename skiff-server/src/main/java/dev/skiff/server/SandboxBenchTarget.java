package dev.skiff.server;

import dev.skiff.bench.sandbox.SandboxTarget;
import dev.skiff.image.ImageReference;
import dev.skiff.image.Progress;
import dev.skiff.image.build.BuiltImage;
import dev.skiff.image.build.BusyboxRootfs;
import dev.skiff.image.build.FileEntry;
import dev.skiff.image.build.ImageBuilder;
import dev.skiff.image.build.ImageConfig;
import dev.skiff.image.build.Rootfs;
import dev.skiff.image.local.LocalRegistry;
import dev.skiff.image.registry.ImagePusher;
import dev.skiff.image.registry.RegistryClient;
import dev.skiff.node.cri.CriPodFloor;
import dev.skiff.node.ipam.Cidr;
import dev.skiff.server.cri.CriNodes;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The scratch cluster {@code skiff bench sandbox} measures, started as {@code skiff server --runtime cri} would run
 * it (embedded storage, virtual nodes on one containerd under the data dir, scheduler, controllers) in this process,
 * with a registry of its own on a free loopback port that containerd pulls from over plain HTTP. Images are built
 * from the host's busybox and pushed there. Closing stops the cluster (sandboxes removed, containerd stopped), then
 * the registry, and deletes the directory.
 */
final class SandboxBenchTarget implements SandboxTarget {

    private final Path dir;
    private final LocalRegistry registry;
    private final ClusterProcess cluster;
    private final CriNodes sandboxes;
    private final KubernetesClient client;
    private final Path blobs;
    private CriPodFloor floor;

    private SandboxBenchTarget(Path dir, LocalRegistry registry, ClusterProcess cluster, CriNodes sandboxes,
            KubernetesClient client) throws IOException {
        this.dir = dir;
        this.registry = registry;
        this.cluster = cluster;
        this.sandboxes = sandboxes;
        this.client = client;
        this.blobs = Files.createDirectories(dir.resolve("blobs"));
    }

    /** Starts registry and cluster in a new directory under {@code parent}; releases both on failure. */
    static SandboxBenchTarget start(Path parent, BuildInfo build) throws IOException {
        Path dir = Files.createTempDirectory(Files.createDirectories(parent), "sandbox-bench-");
        LocalRegistry registry = null;
        ClusterProcess cluster = null;
        try {
            registry = LocalRegistry.startTemporary(dir);
            cluster = ClusterProcess.start(dir.resolve("data"), "127.0.0.1", 0, new StorageChoice.Embedded(),
                    RuntimeChoice.CRI, build);
            CriNodes sandboxes = cluster.sandboxes().orElseThrow();
            sandboxes.allowPlainHttp(registry.address());
            KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(
                    Files.readString(cluster.kubeconfig(), StandardCharsets.UTF_8))).build();
            return new SandboxBenchTarget(dir, registry, cluster, sandboxes, client);
        } catch (IOException | RuntimeException e) {
            if (cluster != null) {
                cluster.close();
            }
            if (registry != null) {
                registry.close();
            }
            BenchCommand.StorageCommand.deleteRecursively(dir);
            throw e;
        }
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public String describe() {
        return "a scratch cluster in this process (embedded storage, cri runtime, virtual nodes "
                + String.join(", ", cluster.nodeNames()) + "), registry " + registry.address();
    }

    @Override
    public String pushSmallImage(String repository) {
        Rootfs rootfs = BusyboxRootfs.create().file("etc/skiff-bench-image", 0644, repository + "\n");
        return push(repository, List.of(rootfs));
    }

    @Override
    public String pushLargeImage(String repository, int fillerMib) {
        // A seed of its own per repository: the same seed would give the same layer, which containerd already has.
        Rootfs filler = new Rootfs().add(FileEntry.RegularFile.random("filler/random.bin",
                fillerMib * 1024L * 1024, repository.hashCode() * 31L + System.nanoTime()));
        return push(repository, List.of(BusyboxRootfs.create(), filler));
    }

    private String push(String repository, List<Rootfs> layers) {
        BuiltImage image = new ImageBuilder().build(layers, ImageConfig.defaults().withCmd(List.of("sh")), blobs,
                Progress.NONE);
        ImageReference ref = ImageReference.parse(registry.address() + "/" + repository + ":latest");
        new ImagePusher(RegistryClient.forHost(registry.address(), true, null)).push(image, ref, Progress.NONE);
        return ref.toString();
    }

    @Override
    public OptionalDouble timedCriPodStart(String image, List<String> command) {
        if (floor == null) {
            // A CIDR none of the default eci-profile vSwitches (10.1.0.0/16, 10.2.0.0/16) uses.
            floor = sandboxes.podFloor(Cidr.parse("10.254.254.0/24"));
        }
        return OptionalDouble.of(floor.timedStart(image, command).toNanos() / 1e6);
    }

    @Override
    public int sandboxCount() {
        return sandboxes.sandboxCount();
    }

    @Override
    public Path containerdSocket() {
        return sandboxes.containerdSocket();
    }

    @Override
    public void close() {
        try {
            client.close();
            cluster.close();
        } finally {
            try {
                registry.close();
            } finally {
                try {
                    BenchCommand.StorageCommand.deleteRecursively(dir);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
