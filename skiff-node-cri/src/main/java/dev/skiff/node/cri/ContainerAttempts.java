package dev.skiff.node.cri;

import dev.skiff.node.cri.client.CriException;
import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.InstanceState;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a container: CreateContainer and StartContainer (a start failure counts as an exit with 128, as
 * containerd reports it, so the restart policy and backoff apply), and reading how it ended from ContainerStatus
 * (exit code, {@code OOMKilled}). The previous attempt is kept for {@code logs --previous}; older ones are removed,
 * as the kubelet keeps one dead container per name.
 */
final class ContainerAttempts {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerAttempts.class);

    private ContainerAttempts() {
    }

    /** Reads how the current attempt ended (exit code, OOMKilled) and records it as the container's state. */
    static ContainerState.Terminated readExit(CriInstance i, Track t) {
        var status = i.client.containerStatus(t.containerId);
        ContainerState.Terminated exit;
        if (status.isEmpty()) {
            exit = new ContainerState.Terminated(137, "ContainerStatusUnknown", "the container disappeared",
                    null, i.runtime.now());
        } else {
            var s = status.get();
            String reason = s.getReason().isEmpty() ? ContainerState.Terminated.reasonFor(s.getExitCode())
                    : s.getReason();
            exit = new ContainerState.Terminated(s.getExitCode(), reason, s.getMessage(),
                    s.getStartedAt() == 0 ? null : CriRuntime.instant(s.getStartedAt()),
                    s.getFinishedAt() == 0 ? i.runtime.now() : CriRuntime.instant(s.getFinishedAt()));
        }
        synchronized (i.lock) {
            t.exited = true;
            t.state = exit;
        }
        return exit;
    }

    static void createAndStart(CriInstance i, Track t) {
        i.checkGoing();
        int attempt;
        synchronized (i.lock) {
            attempt = t.attempts++;
        }
        String id = i.client.createContainer(i.sandboxId, CriSpecs.container(i.runtime.config(), i.spec, t.spec, t.init,
                attempt), i.sandboxConfig);
        String obsolete;
        synchronized (i.lock) {
            obsolete = t.previousId;
            t.previousId = t.containerId;
            t.containerId = id;
            t.exited = false;
            if (t.previousId != null) {
                i.exitedSeen.remove(t.previousId);
            }
            i.occurred(t.spec.name(), false, "Created", "Created container " + t.spec.name());
        }
        if (obsolete != null) {
            // Keep one dead attempt (for logs --previous), as the kubelet keeps one; remove older ones.
            try {
                i.client.removeContainer(obsolete);
            } catch (CriException e) {
                LOG.debug("removing old attempt {} failed: {}", obsolete, e.getMessage());
            }
        }
        try {
            i.client.startContainer(id);
        } catch (CriException e) {
            if (e.unreachable()) {
                throw e;
            }
            // A container that cannot start (no such executable...) counts as an exit, as containerd reports
            // it: the restart policy and backoff apply.
            synchronized (i.lock) {
                t.exited = true;
                ContainerState.Terminated failed = new ContainerState.Terminated(128, "StartError", e.getMessage(),
                        null, i.runtime.now());
                t.state = failed;
                i.occurred(t.spec.name(), true, "Failed", "Error: " + e.getMessage());
                if (!t.init) {
                    i.scheduleRestart(t);
                    if (i.specKnown) {
                        i.state = PhaseRules.evaluate(i.state, i.main, i.runtime.now());
                    }
                }
                i.changed();
            }
            return;
        }
        // StartContainer returns once containerd started the task, so the moment it returned is the start time to
        // within the call's return trip; asking ContainerStatus for containerd's own timestamp cost a further round
        // trip (35-45 ms on the loaded machine) on every start's critical path (decision 038).
        Instant startedAt = i.runtime.now();
        synchronized (i.lock) {
            t.state = new ContainerState.Running(startedAt);
            i.occurred(t.spec.name(), false, "Started", "Started container " + t.spec.name());
            if (!t.init) {
                i.state = PhaseRules.evaluate(i.state, i.main, i.runtime.now());
            } else {
                i.state = new InstanceState.Pending("PodInitializing", "");
            }
            i.changed();
        }
    }

    // --- deletion ------------------------------------------------------------------------------------------------

}
