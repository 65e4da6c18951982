package dev.skiff.node.runtime;

import java.util.Objects;

/**
 * One container's status, shaped like a pod's {@code containerStatuses[]} item.
 *
 * @param name         the container's name
 * @param image        the image as written in the spec
 * @param imageId      the resolved image (digest), or empty before the image is known
 * @param containerId  {@code <runtime>://<id>} of the current attempt, or empty before it was created
 * @param state        what it is doing now
 * @param lastState    how the previous attempt ended, or null before the first restart
 * @param restartCount how many times it was started again
 * @param ready        the runtime's view: running, and not known to be unready (the node agent combines this with
 *                     its readiness probes)
 * @param started      whether the current attempt has started (startup probes are the agent's)
 */
public record ContainerStatus(String name, String image, String imageId, String containerId, ContainerState state,
                              ContainerState.Terminated lastState, int restartCount, boolean ready,
                              boolean started) {

    public ContainerStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(state, "state");
        imageId = imageId == null ? "" : imageId;
        containerId = containerId == null ? "" : containerId;
        if (restartCount < 0) {
            throw new IllegalArgumentException("restartCount must not be negative");
        }
    }

    public boolean running() {
        return state instanceof ContainerState.Running;
    }

    public boolean terminated() {
        return state instanceof ContainerState.Terminated;
    }
}
