package dev.skiff.node.cri;

import dev.skiff.node.cri.client.CriException;
import dev.skiff.node.runtime.RuntimeUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@code killContainer} of the cri runtime, the kubelet's {@code killContainer} after a failed liveness probe:
 * StopContainer with the grace period on the current attempt, then the exit is handed to the instance's worker as
 * if the poller had seen it, so the restart policy and backoff apply exactly as for an exit of its own.
 */
final class ContainerKills {

    private ContainerKills() {
    }

    static CompletableFuture<Boolean> kill(CriInstance i, Track t, Duration gracePeriod, String reason) {
        String id;
        CompletableFuture<Boolean> killing;
        synchronized (i.lock) {
            if (t.init || !t.running() || t.exited || t.containerId == null || i.deleting()) {
                return CompletableFuture.completedFuture(false);
            }
            if (t.killing != null && t.containerId.equals(t.killedId)) {
                return t.killing; // the same attempt is being (or was) killed: join it
            }
            id = t.containerId;
            killing = new CompletableFuture<>();
            t.killing = killing;
            t.killedId = id;
            // The kubelet's event for it: Normal, reason Killing, the probe's message.
            i.occurred(t.spec.name(), false, "Killing", reason);
        }
        long seconds = InstanceTeardown.seconds(gracePeriod == null ? i.spec.gracePeriod() : gracePeriod);
        Thread.ofVirtual().name("cri-kill-" + i.spec.id()).start(() -> {
            try {
                i.client.stopContainer(id, seconds);
                // Tell the worker now rather than at the next poll; it reads the exit and applies the policy.
                i.sawExited(id);
                killing.complete(true);
            } catch (CriException e) {
                killing.completeExceptionally(e.unreachable()
                        ? new RuntimeUnavailableException("containerd is unreachable: " + e.getMessage(), e) : e);
            } catch (RuntimeException e) {
                killing.completeExceptionally(e);
            }
        });
        return killing;
    }
}
