package dev.skiff.node.runtime;

import java.time.Instant;
import java.util.Objects;

/**
 * Resource usage of one container, shaped like a container of the kubelet's {@code /stats/summary} (which metrics
 * server and billing read).
 *
 * @param name      the container
 * @param startTime when the current attempt started
 */
public record ContainerStats(String name, Instant startTime, Cpu cpu, Memory memory, Filesystem rootfs) {

    public ContainerStats {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(rootfs, "rootfs");
    }

    /**
     * @param usageNanoCores       the current rate, in billionths of a core
     * @param usageCoreNanoSeconds cumulative use since the container started
     */
    public record Cpu(long usageNanoCores, long usageCoreNanoSeconds) {
    }

    /**
     * @param workingSetBytes what the kubelet evicts and metrics-server reports by
     * @param usageBytes      total usage including caches
     * @param rssBytes        anonymous and swap cache memory (0 when the runtime does not say)
     */
    public record Memory(long workingSetBytes, long usageBytes, long rssBytes) {

        /** Without an RSS figure. */
        public Memory(long workingSetBytes, long usageBytes) {
            this(workingSetBytes, usageBytes, 0);
        }
    }

    /** The container's writable layer. */
    public record Filesystem(long usedBytes, long capacityBytes) {
    }
}
