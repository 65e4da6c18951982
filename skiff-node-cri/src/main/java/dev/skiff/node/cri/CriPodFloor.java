package dev.skiff.node.cri;

import dev.skiff.node.cri.client.CriClient;
import dev.skiff.node.cri.client.CriException;
import dev.skiff.node.cri.net.PodNetwork;
import dev.skiff.node.runtime.ContainerSpec;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.RestartPolicy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The floor of a pod start on one containerd, for benchmarks: exactly the CRI calls the cri runtime makes for a
 * one-container pod whose image is present (RunPodSandbox with its CNI ADD, ImageStatus, CreateContainer,
 * StartContainer), with the same sandbox and container configuration, made back to back by one thread and timed,
 * without Kubernetes (no API server, scheduler, node agent, status write or watch). It is what containerd itself
 * costs for a Kubernetes pod, so a pod start over this floor is the part Skiff adds. The sandbox is removed after
 * each start, outside the timed window.
 *
 * <p>Its sandboxes carry an owner of their own, so no {@link CriRuntime} adopts them. Not thread-safe.
 */
public final class CriPodFloor {

    private static final String OWNER = "skiff-pod-floor";

    private final CriClient client;
    private final PodNetwork network;
    private final CriRuntimeConfig config;
    private long next;

    /**
     * @param config a configuration whose {@code podCidr} no virtual node uses (the floor's pods take its addresses
     *               from the second host on, one at a time)
     */
    public CriPodFloor(CriClient client, PodNetwork network, CriRuntimeConfig config) {
        this.client = client;
        this.network = network;
        this.config = new CriRuntimeConfig(OWNER, config.podCidr(), config.cgroupParent(), config.logRoot(),
                config.pollInterval(), config.backoffBase(), config.backoffMax(), config.defaultLimits(),
                config.ephemeralStorage(), config.dnsServers());
    }

    /**
     * Starts one pod of {@code image} running {@code command}, returns how long the CRI calls took, then removes it.
     * Blocking.
     *
     * @throws CriException when containerd refuses a call (the pod is removed all the same)
     */
    public Duration timedStart(String image, List<String> command) {
        String uid = UUID.randomUUID().toString();
        InetAddress address = config.podCidr().addressAt(2);
        ContainerSpec container = new ContainerSpec("main", image, null, command, null, null, null, null, false,
                false);
        InstanceSpec spec = new InstanceSpec(InstanceId.of(uid), "pod-floor", "floor-" + (next++), null, null, null,
                List.of(container), RestartPolicy.NEVER, Duration.ZERO, address);
        var sandboxConfig = CriSpecs.sandbox(config, spec);
        String sandboxId = null;
        long t0 = System.nanoTime();
        try {
            network.assign(uid, address, config.podCidr());
            sandboxId = client.runPodSandbox(sandboxConfig);
            client.imageId(image);
            String containerId = client.createContainer(sandboxId, CriSpecs.container(config, spec, container, false,
                    0), sandboxConfig);
            client.startContainer(containerId);
            return Duration.ofNanos(System.nanoTime() - t0);
        } finally {
            if (sandboxId != null) {
                client.stopPodSandbox(sandboxId);
                client.removePodSandbox(sandboxId);
            }
            network.release(uid);
        }
    }
}
