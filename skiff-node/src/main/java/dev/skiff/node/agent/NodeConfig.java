package dev.skiff.node.agent;

import dev.skiff.node.ipam.Cidr;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What one virtual node is.
 *
 * @param nodeName          the Node's name
 * @param zone              {@code topology.kubernetes.io/zone}
 * @param vSwitch           the vSwitch the node's pods are attached to (a label, for scheduling by network)
 * @param provider          the provider named in the {@code virtual-kubelet.io/provider} taint
 * @param podCidr           the vSwitch's CIDR pod addresses come from
 * @param internalIp        the node's InternalIP address (also every pod's hostIP)
 * @param capacity          what the node advertises as capacity and allocatable
 * @param leaseInterval     how often the Lease is renewed (the kubelet's default is 10 s)
 * @param statusInterval    how often the Node's status is written even when nothing changed (the kubelet's
 *                          {@code nodeStatusReportFrequency}, 5 min by default once leases are in use)
 * @param retryInitial      the first delay before a failed provider call is retried
 * @param retryMax          the cap of the doubling retry delay
 * @param dataDir           where the agent keeps pod volumes ({@code <dataDir>/pods/<uid>/volumes/<name>}, the
 *                          kubelet's root dir); null: a temporary directory the agent creates and removes when it
 *                          closes (fine for simulated instances, wrong for real ones that outlive the agent)
 * @param housekeepingInterval how often pods' resource usage is sampled: ephemeral storage checked for eviction
 *                          and CPU sampled for the stats Summary (the kubelet's {@code housekeeping-interval}, 10 s)
 */
public record NodeConfig(String nodeName, String zone, String vSwitch, String provider, Cidr podCidr,
                         String internalIp, NodeCapacity capacity, Duration leaseInterval, Duration statusInterval,
                         Duration retryInitial, Duration retryMax, Path dataDir, Duration housekeepingInterval) {

    /** The kubelet's default housekeeping interval. */
    public static final Duration DEFAULT_HOUSEKEEPING = Duration.ofSeconds(10);

    public NodeConfig {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(vSwitch, "vSwitch");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(podCidr, "podCidr");
        Objects.requireNonNull(internalIp, "internalIp");
        capacity = capacity == null ? NodeCapacity.HUGE : capacity;
        leaseInterval = leaseInterval == null ? Duration.ofSeconds(10) : leaseInterval;
        statusInterval = statusInterval == null ? Duration.ofMinutes(5) : statusInterval;
        retryInitial = retryInitial == null ? Duration.ofSeconds(1) : retryInitial;
        retryMax = retryMax == null ? Duration.ofMinutes(5) : retryMax;
        housekeepingInterval = housekeepingInterval == null ? DEFAULT_HOUSEKEEPING : housekeepingInterval;
        if (housekeepingInterval.isZero() || housekeepingInterval.isNegative()) {
            throw new IllegalArgumentException("the housekeeping interval must be positive");
        }
        if (leaseInterval.isZero() || leaseInterval.isNegative() || statusInterval.isZero()
                || statusInterval.isNegative() || retryInitial.isNegative() || retryMax.compareTo(retryInitial) < 0) {
            throw new IllegalArgumentException("intervals must be positive and retryMax >= retryInitial");
        }
    }

    /** With the default housekeeping interval. */
    public NodeConfig(String nodeName, String zone, String vSwitch, String provider, Cidr podCidr, String internalIp,
                      NodeCapacity capacity, Duration leaseInterval, Duration statusInterval, Duration retryInitial,
                      Duration retryMax, Path dataDir) {
        this(nodeName, zone, vSwitch, provider, podCidr, internalIp, capacity, leaseInterval, statusInterval,
                retryInitial, retryMax, dataDir, null);
    }

    /** Without a data dir (the default one). */
    public NodeConfig(String nodeName, String zone, String vSwitch, String provider, Cidr podCidr, String internalIp,
                      NodeCapacity capacity, Duration leaseInterval, Duration statusInterval, Duration retryInitial,
                      Duration retryMax) {
        this(nodeName, zone, vSwitch, provider, podCidr, internalIp, capacity, leaseInterval, statusInterval,
                retryInitial, retryMax, null, null);
    }

    /** A node with the kubelet's default intervals and a huge capacity. */
    public static NodeConfig of(String nodeName, String zone, String vSwitch, String provider, Cidr podCidr,
                                String internalIp) {
        return new NodeConfig(nodeName, zone, vSwitch, provider, podCidr, internalIp, null, null, null, null, null);
    }

    public NodeConfig withLeaseInterval(Duration interval) {
        return new NodeConfig(nodeName, zone, vSwitch, provider, podCidr, internalIp, capacity, interval,
                statusInterval, retryInitial, retryMax, dataDir, housekeepingInterval);
    }

    public NodeConfig withRetry(Duration initial, Duration max) {
        return new NodeConfig(nodeName, zone, vSwitch, provider, podCidr, internalIp, capacity, leaseInterval,
                statusInterval, initial, max, dataDir, housekeepingInterval);
    }

    public NodeConfig withDataDir(Path dir) {
        return new NodeConfig(nodeName, zone, vSwitch, provider, podCidr, internalIp, capacity, leaseInterval,
                statusInterval, retryInitial, retryMax, dir, housekeepingInterval);
    }

    public NodeConfig withHousekeepingInterval(Duration interval) {
        return new NodeConfig(nodeName, zone, vSwitch, provider, podCidr, internalIp, capacity, leaseInterval,
                statusInterval, retryInitial, retryMax, dataDir, interval);
    }
}
