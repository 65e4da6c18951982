package dev.skiff.node.agent;

import dev.skiff.node.runtime.ContainerSpec;
import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.ContainerStatus;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceState;
import dev.skiff.node.runtime.InstanceStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.List;

/**
 * The status of a pod whose instance cannot be created yet, shaped as an {@link InstanceStatus} so
 * {@link PodStatuses} maps it like any other: phase Pending, the container whose configuration failed
 * {@code Waiting/CreateContainerConfigError} with the kubelet's message, the others {@code ContainerCreating}
 * (or {@code PodInitializing} behind init containers). Unlike the kubelet, which starts the containers that can be
 * configured, an instance starts all of them together, so one bad reference holds the whole pod. Pure.
 */
final class StartBlocked {

    static final String CONFIG_ERROR = "CreateContainerConfigError";

    private StartBlocked() {
    }

    /**
     * @param failed  the container that cannot be configured, or null when the pod waits for its volumes
     * @param message the kubelet's message for it
     */
    static InstanceStatus status(Pod pod, String failed, String message, Instant now) {
        var spec = pod.getSpec();
        List<Container> initSpecs = spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
        String mainWaiting = initSpecs.isEmpty() ? "ContainerCreating" : "PodInitializing";
        List<ContainerStatus> init = initSpecs.stream()
                .map(c -> waiting(c, c.getName().equals(failed) ? CONFIG_ERROR : "PodInitializing",
                        c.getName().equals(failed) ? message : ""))
                .toList();
        List<ContainerStatus> main = spec.getContainers().stream()
                .map(c -> waiting(c, c.getName().equals(failed) ? CONFIG_ERROR : mainWaiting,
                        c.getName().equals(failed) ? message : ""))
                .toList();
        InstanceState state = new InstanceState.Pending(failed == null ? "ContainerCreating" : CONFIG_ERROR, message);
        return new InstanceStatus(InstanceId.of(pod.getMetadata().getUid()), 1, state, null, now, init, main, null);
    }

    private static ContainerStatus waiting(Container c, String reason, String message) {
        ContainerSpec base = ContainerSpec.of(c.getName(), c.getImage() == null ? "unknown" : c.getImage());
        return new ContainerStatus(base.name(), base.image(), "", "", new ContainerState.Waiting(reason, message),
                null, 0, false, false);
    }
}
