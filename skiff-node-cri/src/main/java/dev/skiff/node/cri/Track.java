package dev.skiff.node.cri;

import dev.skiff.node.runtime.ContainerSpec;
import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.ContainerStatus;
import java.time.Instant;

/**
 * What an instance knows about one of its containers: the spec, the CRI container of the current attempt, and the
 * status shown to the node agent. Guarded by the owning {@link CriInstance}'s lock.
 */
final class Track {

    ContainerSpec spec;
    final boolean init;
    String imageRef = "";
    /** The CRI id of the current attempt, or null before the first create. */
    String containerId;
    /** The CRI id of the previous attempt (kept for {@code logs --previous}), or null. */
    String previousId;
    /** Attempts created so far; the current attempt's number is {@code attempts - 1}. */
    int attempts;
    int restarts;
    ContainerState state;
    ContainerState.Terminated lastState;
    /** When the container may be started again after an exit, or null while it need not restart. */
    Instant restartAt;
    /** The kill of the attempt {@link #killedId} under way or done ({@code killContainer} joins it), or null. */
    java.util.concurrent.CompletableFuture<Boolean> killing;
    String killedId;
    /** Whether the current attempt exited and its status was read. */
    boolean exited;

    Track(ContainerSpec spec, boolean init) {
        this.spec = spec;
        this.init = init;
        this.state = new ContainerState.Waiting(init ? "PodInitializing" : "ContainerCreating", "");
    }

    boolean running() {
        return state instanceof ContainerState.Running;
    }

    ContainerState.Terminated terminated() {
        return state instanceof ContainerState.Terminated t ? t : null;
    }

    ContainerStatus status() {
        boolean running = running();
        return new ContainerStatus(spec.name(), spec.image(), imageRef,
                containerId == null ? "" : "containerd://" + containerId, state, lastState, restarts, running,
                running);
    }
}
