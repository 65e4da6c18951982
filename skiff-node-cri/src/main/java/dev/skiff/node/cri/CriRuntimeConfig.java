package dev.skiff.node.cri;

import dev.skiff.node.ipam.Cidr;
import dev.skiff.node.runtime.ComputeResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How one {@link CriRuntime} runs its instances.
 *
 * @param owner          names this runtime's sandboxes (a label), so several runtimes (virtual nodes) share one
 *                       containerd and each adopts only its own after a restart
 * @param podCidr        the network of the instances' addresses (the virtual node's vSwitch CIDR): its prefix and
 *                       gateway complete {@code InstanceSpec.podIp}; instances without an address get one from it
 * @param cgroupParent   the cgroupfs parent of every sandbox
 * @param logRoot        where container logs are written ({@code <namespace>_<name>_<uid>/<container>/<n>.log})
 * @param pollInterval   how often container states are read (containerd 1.6 has no CRI event stream)
 * @param backoffBase    the first restart delay of a container; doubles per restart (the kubelet: 10 s)
 * @param backoffMax     the longest restart delay (the kubelet: 5 min)
 * @param defaultLimits  the instance size when a container names no limits (ECI: 2 vCPU, 4 GiB)
 * @param ephemeralStorage the writable-layer capacity reported in stats when no limit is set (ECI: 30 GiB)
 * @param dnsServers     nameservers written to every sandbox's resolv.conf (empty: the runtime's default)
 */
public record CriRuntimeConfig(String owner, Cidr podCidr, String cgroupParent, Path logRoot, Duration pollInterval,
                               Duration backoffBase, Duration backoffMax, ComputeResources defaultLimits,
                               long ephemeralStorage, java.util.List<String> dnsServers) {

    /** ECI's instance size when a pod names no resources. */
    public static final ComputeResources ECI_DEFAULT = ComputeResources.of(2000, 4L << 30);
    public static final long ECI_EPHEMERAL_STORAGE = 30L << 30;

    public CriRuntimeConfig {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(podCidr, "podCidr");
        Objects.requireNonNull(cgroupParent, "cgroupParent");
        Objects.requireNonNull(logRoot, "logRoot");
        pollInterval = pollInterval == null ? Duration.ofSeconds(1) : pollInterval;
        backoffBase = backoffBase == null ? Duration.ofSeconds(10) : backoffBase;
        backoffMax = backoffMax == null ? Duration.ofMinutes(5) : backoffMax;
        defaultLimits = defaultLimits == null ? ECI_DEFAULT : defaultLimits;
        ephemeralStorage = ephemeralStorage <= 0 ? ECI_EPHEMERAL_STORAGE : ephemeralStorage;
        dnsServers = dnsServers == null ? java.util.List.of() : java.util.List.copyOf(dnsServers);
    }

    /** The kubelet's timings and ECI's sizes. */
    public static CriRuntimeConfig defaults(String owner, Cidr podCidr, String cgroupParent, Path logRoot) {
        return new CriRuntimeConfig(owner, podCidr, cgroupParent, logRoot, null, null, null, null, 0, null);
    }

    public CriRuntimeConfig withTimings(Duration newPollInterval, Duration newBackoffBase, Duration newBackoffMax) {
        return new CriRuntimeConfig(owner, podCidr, cgroupParent, logRoot, newPollInterval, newBackoffBase,
                newBackoffMax, defaultLimits, ephemeralStorage, dnsServers);
    }

    /** The restart delay after {@code restarts} restarts: base doubled per restart, capped at the maximum. */
    public Duration backoff(int restarts) {
        Duration delay = backoffBase;
        for (int i = 0; i < restarts && delay.compareTo(backoffMax) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(backoffMax) > 0 ? backoffMax : delay;
    }
}
