package dev.skiff.node.agent;

import dev.skiff.node.runtime.InstanceStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kubelet status manager's cache: the pod status this agent last wrote, per pod UID. Two things follow from it,
 * as in the kubelet ({@code status_manager.go}: the cached status is the "old" one, and an update equal to it is not
 * sent):
 * <ul>
 *   <li>condition transition times and the start time are carried over from what was written, not from the
 *       informer's copy, which may not show the agent's last write yet (else every write would move them);</li>
 *   <li>an instance change that does not change the API status (the simulated runtime's Pulling → Creating
 *       stages, say: the containers stay Waiting/ContainerCreating) writes nothing.</li>
 * </ul>
 * Thread-safe; the agent's work queue never runs one UID on two threads at once, which keeps each pod's entry
 * consistent with its writes.
 */
final class StatusCache {

    private final Map<String, PodStatus> written = new ConcurrentHashMap<>();

    /**
     * The status to write for {@code pod} whose instance reports {@code instance}, or empty when it equals the one
     * last written (nothing to send).
     */
    Optional<PodStatus> next(Pod pod, InstanceStatus instance, String hostIp, Instant now, String[] pending) {
        PodStatus last = written.get(pod.getMetadata().getUid());
        PodStatus status = PodStatuses.of(pod, last != null ? last : pod.getStatus(), instance, hostIp, now,
                pending);
        return status.equals(last) ? Optional.empty() : Optional.of(status);
    }

    /** Records that {@code status} is now the pod's status in the API. */
    void written(String uid, PodStatus status) {
        written.put(uid, status);
    }

    /** Forgets a pod that is gone. */
    void forget(String uid) {
        written.remove(uid);
    }
}
