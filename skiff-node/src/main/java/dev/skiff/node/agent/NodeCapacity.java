package dev.skiff.node.agent;

/**
 * What a virtual node advertises, in Kubernetes quantity strings. A virtual node is backed by a whole region's
 * capacity, so it advertises amounts no real machine has (virtual-kubelet providers do the same): the scheduler
 * never runs out of room on it, and quotas, not the node, bound what runs.
 */
public record NodeCapacity(String cpu, String memory, String pods, String ephemeralStorage) {

    /** 10,000 cores, 40 TiB, 50,000 pods, 100 TiB of ephemeral storage. */
    public static final NodeCapacity HUGE = new NodeCapacity("10000", "40Ti", "50000", "100Ti");
}
