package dev.skiff.node.cri;

import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.InstanceState;
import java.time.Instant;
import java.util.List;

/** The kubelet's pod phase from its containers' states. Callers hold the instance's lock. */
final class PhaseRules {

    private PhaseRules() {
    }

    /**
     * The kubelet's phase rule once containers were started: Running while a container runs or will restart (it is
     * not terminated), else Succeeded when all exited with 0, else Failed. A terminal state never changes.
     */
    static InstanceState evaluate(InstanceState state, List<Track> main, Instant now) {
        if (state.terminal()) {
            return state;
        }
        for (Track t : main) {
            if (t.terminated() == null) {
                return state instanceof InstanceState.Running ? state : new InstanceState.Running(now);
            }
        }
        return terminalState(main, now);
    }

    /** Succeeded when every container exited with 0, else Failed naming the first that did not. */
    static InstanceState terminalState(List<Track> main, Instant now) {
        for (Track t : main) {
            ContainerState.Terminated exit = t.terminated();
            if (exit == null || exit.exitCode() != 0) {
                return new InstanceState.Failed("Error", "container " + t.spec.name()
                        + (exit == null ? " did not run" : " exited with code " + exit.exitCode()), now);
            }
        }
        return new InstanceState.Succeeded(now);
    }
}
