package dev.skiff.node.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Resource usage of one instance at {@code timestamp}: one entry per running container. */
public record InstanceStats(InstanceId id, Instant timestamp, List<ContainerStats> containers) {

    public InstanceStats {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
        containers = List.copyOf(containers);
    }
}
