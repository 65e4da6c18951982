package dev.skiff.server.cri;

import dev.skiff.node.cri.CriRuntime;
import dev.skiff.node.cri.CriPodFloor;
import dev.skiff.node.cri.CriRuntimeConfig;
import dev.skiff.node.cri.StartGate;
import dev.skiff.node.cri.containerd.ContainerdSupervisor;
import dev.skiff.node.ipam.Cidr;
import dev.skiff.server.nodeless.RuntimeFactory;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real sandboxes for a cluster: one containerd under the data dir shared by every virtual node, each node with its
 * own {@link CriRuntime} (owner = node name, pod CIDR = its vSwitch's). Start before the nodes, close after them.
 */
public final class CriNodes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CriNodes.class);

    /**
     * Bounds the host's concurrent pod starts ({@link StartGate}; unset or 0: unbounded, the default). For
     * measuring (decision 038).
     */
    static final String START_PARALLELISM = "skiff.cri.startParallelism";

    private final ContainerdSupervisor containerd;
    /** Shared by every virtual node: they share this host's cores. */
    private final StartGate starts;

    private CriNodes(ContainerdSupervisor containerd) {
        this.containerd = containerd;
        Integer parallelism = Integer.getInteger(START_PARALLELISM);
        this.starts = parallelism == null ? StartGate.unbounded() : new StartGate(parallelism);
    }

    /**
     * Starts containerd under {@code dataDir/cri} and imports the pause image.
     *
     * @throws dev.skiff.node.cri.containerd.MissingHostPackagesException naming the apt command when containerd,
     *                                                                    runc or the CNI plugins are missing
     */
    public static CriNodes start(Path dataDir) {
        Path dir = dataDir.resolve("cri");
        ContainerdSupervisor containerd = ContainerdSupervisor.start(
                new ContainerdSupervisor.Options(dir, PauseImage.REFERENCE, null, true));
        try {
            PauseImage.importInto(containerd, dir.resolve("images"));
            return new CriNodes(containerd);
        } catch (RuntimeException e) {
            containerd.stop();
            throw e;
        }
    }

    /** Lets pods pull from {@code hostPort} over plain HTTP (e.g. Skiff's local registry). */
    public void allowPlainHttp(String hostPort) {
        containerd.allowPlainHttp(hostPort);
    }

    /** The socket of the containerd the sandboxes run under (e.g. for containerd's own {@code ctr}). */
    public Path containerdSocket() {
        return containerd.config().socket();
    }

    /**
     * The CRI floor of a pod start on this containerd (for {@code skiff bench sandbox}); its pods take addresses of
     * {@code cidr}, which no virtual node may use.
     */
    public CriPodFloor podFloor(Cidr cidr) {
        return new CriPodFloor(containerd.client(), containerd.network(), CriRuntimeConfig.defaults("pod-floor", cidr,
                containerd.cgroupParent(), containerd.logRoot()));
    }

    /** The pod sandboxes containerd holds, in any state (a benchmark waits for zero between samples). */
    public int sandboxCount() {
        return containerd.client().listPodSandboxes(Map.of()).size();
    }

    /** One CriRuntime per virtual node. */
    public RuntimeFactory runtimes() {
        return (vSwitch, clock, timers, notifications) -> {
            CriRuntimeConfig config = CriRuntimeConfig.defaults(vSwitch.nodeName(), vSwitch.cidr(),
                    containerd.cgroupParent(), containerd.logRoot());
            LOG.info("node {} runs pods in real sandboxes ({})", vSwitch.nodeName(), vSwitch.cidr());
            // The containerd's registry host files: pods' plain-http/insecure registry annotations are applied there.
            return new CriRuntime(containerd.client(), containerd.network(), config, clock, timers, notifications,
                    starts, containerd.registries());
        };
    }

    /** Removes every sandbox, stops containerd and cleans the host (the image cache stays in the data dir). */
    @Override
    public void close() {
        containerd.stop();
    }
}
