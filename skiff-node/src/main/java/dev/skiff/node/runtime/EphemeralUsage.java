package dev.skiff.node.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The ephemeral storage an instance's containers occupy on the node, as the kubelet counts it for a container
 * ({@code rootfs} plus {@code logs} of the stats Summary API): the container's writable layer and its log files.
 * Volumes are not included: the node agent owns them and measures them itself.
 *
 * @param id         the instance
 * @param timestamp  when it was measured
 * @param containers one entry per container the runtime still holds (running or exited; an exited container's
 *                   writable layer stays on disk until the instance is removed, so it still counts)
 */
public record EphemeralUsage(InstanceId id, Instant timestamp, List<ContainerUsage> containers) {

    public EphemeralUsage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
        containers = List.copyOf(containers);
    }

    /**
     * @param name               the container
     * @param writableLayerBytes bytes in the container's writable layer (the CRI's {@code writable_layer.used_bytes})
     * @param logsBytes          bytes in the container's log files, every attempt's
     */
    public record ContainerUsage(String name, long writableLayerBytes, long logsBytes) {

        public ContainerUsage {
            Objects.requireNonNull(name, "name");
            if (writableLayerBytes < 0 || logsBytes < 0) {
                throw new IllegalArgumentException("usage must not be negative");
            }
        }

        /** What the kubelet compares with the container's {@code limits.ephemeral-storage}: rootfs plus logs. */
        public long totalBytes() {
            return writableLayerBytes + logsBytes;
        }
    }

    /** The sum over the containers. */
    public long totalBytes() {
        return containers.stream().mapToLong(ContainerUsage::totalBytes).sum();
    }

    /** The named container's usage, if the runtime reported it. */
    public java.util.Optional<ContainerUsage> container(String name) {
        return containers.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
