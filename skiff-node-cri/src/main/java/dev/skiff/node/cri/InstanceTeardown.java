package dev.skiff.node.cri;

import dev.skiff.node.cri.client.CriException;
import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.DeleteResult;
import dev.skiff.node.runtime.InstanceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of an instance, as the kubelet kills a pod: StopContainer with the grace period for every running
 * container (in parallel; containerd sends SIGTERM, then SIGKILL when the period is over), the final terminal
 * status, then StopPodSandbox and RemovePodSandbox, and finally {@code Removed}.
 */
final class InstanceTeardown {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceTeardown.class);

    private InstanceTeardown() {
    }

    static long seconds(Duration d) {
        // CRI timeouts are whole seconds: round up, so a container is never killed before its grace period ends.
        long s = d.toSeconds();
        return d.minusSeconds(s).isZero() ? s : s + 1;
    }

    static void run(CriInstance i) {
        Duration stopGrace;
        List<Track> toStop;
        synchronized (i.lock) {
            stopGrace = i.grace;
            toStop = i.tracks().stream().filter(t -> t.containerId != null && t.terminated() == null
                    && !(t.state instanceof ContainerState.Waiting)).toList();
            if (!toStop.isEmpty()) {
                i.occurred(null, false, "Killing", "Stopping containers with a grace period of " + stopGrace);
            }
        }
        List<Thread> stoppers = new ArrayList<>();
        for (Track t : toStop) {
            stoppers.add(Thread.ofVirtual().start(() -> {
                try {
                    i.client.stopContainer(t.containerId, seconds(stopGrace));
                    ContainerAttempts.readExit(i, t);
                } catch (CriException e) {
                    LOG.warn("stopping container {} of {} failed: {}", t.spec.name(), i.spec.id(), e.getMessage());
                }
            }));
        }
        for (Thread s : stoppers) {
            try {
                s.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        InstanceStatus last;
        synchronized (i.lock) {
            Instant now = i.runtime.now();
            for (Track t : i.tracks()) {
                if (t.terminated() == null) {
                    // Never ran, or waited to restart: reported as the kubelet reports such containers of a
                    // deleted pod.
                    t.state = new ContainerState.Terminated(137, "ContainerStatusUnknown",
                            "the container was not running when the instance was deleted", null, now);
                }
            }
            if (!i.state.terminal()) {
                i.state = PhaseRules.terminalState(i.main, i.runtime.now());
            }
            i.changed();
            last = i.snapshot();
        }
        if (i.sandboxId != null) {
            try {
                i.client.stopPodSandbox(i.sandboxId);
                i.client.removePodSandbox(i.sandboxId);
            } catch (CriException e) {
                LOG.warn("removing sandbox of {} failed: {}", i.spec.id(), e.getMessage());
            }
        }
        i.runtime.removed(i, last);
        i.deletion.complete(new DeleteResult.Deleted(last));
    }

}
