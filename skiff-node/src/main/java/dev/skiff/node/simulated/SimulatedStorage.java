package dev.skiff.node.simulated;

import dev.skiff.node.runtime.ContainerStatus;
import dev.skiff.node.runtime.EphemeralUsage;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.InstanceStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The ephemeral storage simulated containers occupy, read from the pod's annotations so that the node agent's
 * storage limits and eviction can be exercised without writing to a disk:
 * <table>
 * <caption>Annotations</caption>
 * <tr><th>annotation</th><th>meaning</th></tr>
 * <tr><td>{@code skiff.dev/simulated-ephemeral-storage}</td><td>every started container's writable layer holds
 *     this much (a quantity: {@code 40Mi})</td></tr>
 * <tr><td>{@code skiff.dev/simulated-ephemeral-storage.NAME}</td><td>the same for the container called NAME</td></tr>
 * <tr><td>{@code skiff.dev/simulated-log-bytes.NAME}</td><td>its log files hold this much</td></tr>
 * </table>
 * Without them a started container's writable layer holds the {@link SyntheticStats} figure (4 MiB growing by
 * 1 KiB a second) and its logs nothing. Annotations are read when asked, so a test can change them only by creating
 * a pod with them. Pure, thread-safe.
 */
final class SimulatedStorage {

    static final String USAGE = SimulatedBehaviour.PREFIX + "ephemeral-storage";
    static final String LOG_BYTES = SimulatedBehaviour.PREFIX + "log-bytes";

    private SimulatedStorage() {
    }

    /** Whether {@code key} is one of this class's annotations (the behaviour parser leaves them alone). */
    static boolean owns(String key) {
        return key.equals(USAGE) || key.startsWith(USAGE + ".") || key.startsWith(LOG_BYTES + ".");
    }

    /**
     * The annotated writable-layer size of {@code container}, or -1 when no annotation sets it.
     *
     * @throws IllegalArgumentException naming the annotation, if its value is not a quantity
     */
    static long annotatedUsage(Map<String, String> annotations, String container) {
        String value = annotations.get(USAGE + "." + container);
        String key = USAGE + "." + container;
        if (value == null) {
            value = annotations.get(USAGE);
            key = USAGE;
        }
        return value == null ? -1 : bytes(key, value);
    }

    static EphemeralUsage of(InstanceSpec spec, InstanceStatus status, Instant now) {
        List<EphemeralUsage.ContainerUsage> containers = new ArrayList<>();
        Stream.concat(status.initContainers().stream(), status.containers().stream())
                .filter(c -> !c.containerId().isEmpty())
                .forEach(c -> containers.add(container(spec, c, now)));
        return new EphemeralUsage(spec.id(), now, containers);
    }

    private static EphemeralUsage.ContainerUsage container(InstanceSpec spec, ContainerStatus c, Instant now) {
        long layer = annotatedUsage(spec.annotations(), c.name());
        if (layer < 0) {
            Instant started = c.state() instanceof dev.skiff.node.runtime.ContainerState.Running r
                    ? r.startedAt() : now;
            layer = SyntheticStats.layerBytes(started, now);
        }
        String logs = spec.annotations().get(LOG_BYTES + "." + c.name());
        return new EphemeralUsage.ContainerUsage(c.name(), layer,
                logs == null ? 0 : bytes(LOG_BYTES + "." + c.name(), logs));
    }

    static long bytes(String key, String value) {
        try {
            return Quantity.getAmountInBytes(new Quantity(value.trim())).longValueExact();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("annotation " + key + ": '" + value + "' is not a quantity", e);
        }
    }
}
