package dev.skiff.node.runtime;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one instance, immutable. Everything the node agent needs for the pod's status: phase, container
 * statuses, the address.
 *
 * @param id               the instance
 * @param version          grows by at least one with every change of this instance (starting at 1 on create), so a
 *                         reader holding two snapshots of one instance can tell the newer; not comparable across
 *                         instances
 * @param state            the phase-like state
 * @param podIp            the instance's address (the spec's, when the node agent assigned one), or null
 * @param createdAt        when the runtime accepted the instance
 * @param initContainers   the init containers' statuses, in spec order
 * @param containers       the containers' statuses, in spec order
 * @param terminatingSince when a delete asked it to stop, or null while nobody has
 */
public record InstanceStatus(InstanceId id, long version, InstanceState state, InetAddress podIp, Instant createdAt,
                             List<ContainerStatus> initContainers, List<ContainerStatus> containers,
                             Instant terminatingSince) {

    public InstanceStatus {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        initContainers = List.copyOf(initContainers);
        containers = List.copyOf(containers);
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1");
        }
    }

    public boolean terminal() {
        return state.terminal();
    }

    public boolean terminating() {
        return terminatingSince != null;
    }

    /** The status of the (init or main) container with this name. */
    public Optional<ContainerStatus> container(String name) {
        for (ContainerStatus c : initContainers) {
            if (c.name().equals(name)) {
                return Optional.of(c);
            }
        }
        for (ContainerStatus c : containers) {
            if (c.name().equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
