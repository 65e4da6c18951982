package dev.skiff.node.agent;

import dev.skiff.node.runtime.DeleteResult;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceRuntime;
import dev.skiff.node.runtime.InstanceStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The pods the eviction manager evicted, and what the kubelet's {@code evictPod} does to each: record the Warning
 * {@code Evicted} Event, kill the pod's instance with no grace period (the kubelet's local-storage evictions use 0),
 * and once the instance has ended write the pod's status once: its containers as they ended, phase Failed, reason
 * {@code Evicted}, the message (and a {@code DisruptionTarget} condition when the instance itself ran out). A pod
 * stays recorded until it is gone from the API, so that nothing creates its instance again or rewrites its status.
 * Thread-safe; the agent's work queue runs one pod UID at a time.
 */
final class EvictedPods {

    private record Eviction(String message, boolean disruption, boolean written) {
    }

    private final InstanceRuntime runtime;
    private final RawWrites writes;
    private final StatusCache statuses;
    private final PodEvents events;
    private final String hostIp;
    private final Clock clock;
    private final Map<String, Eviction> evictions = new ConcurrentHashMap<>();
    /** The terminal status the kill ended with, until it is written. */
    private final Map<String, InstanceStatus> killed = new ConcurrentHashMap<>();

    EvictedPods(InstanceRuntime runtime, RawWrites writes, StatusCache statuses, PodEvents events, String hostIp,
                Clock clock) {
        this.runtime = runtime;
        this.writes = writes;
        this.statuses = statuses;
        this.events = events;
        this.hostIp = hostIp;
        this.clock = clock;
    }

    /** Starts evicting a pod; false (and nothing done) when it is already being evicted. */
    boolean start(Pod pod, String message, boolean disruption) {
        if (evictions.putIfAbsent(pod.getMetadata().getUid(), new Eviction(message, disruption, false)) != null) {
            return false;
        }
        events.record(pod, null, false, true, "Evicted", message);
        return true;
    }

    boolean evicting(String uid) {
        return evictions.containsKey(uid);
    }

    /** Whether the pod's evicted status was written (its status must not be written over any more). */
    boolean settled(String uid) {
        Eviction e = evictions.get(uid);
        return e != null && e.written();
    }

    /**
     * One step of an eviction: kill the instance, or write the final status once it ended.
     *
     * @param enqueue reconciles the pod again (once the kill completed)
     * @return why the step must be retried later, or null
     */
    String reconcile(String uid, InstanceId id, Pod pod, Optional<InstanceStatus> instance, Consumer<String> enqueue) {
        Eviction eviction = evictions.get(uid);
        if (eviction == null || eviction.written()) {
            return null;
        }
        if (instance.isPresent() && !instance.get().terminal()) {
            runtime.delete(id, Duration.ZERO).whenComplete((r, e) -> {
                if (r instanceof DeleteResult.Deleted d) {
                    killed.put(uid, d.last());
                }
                enqueue.accept(uid);
            });
            return null;
        }
        InstanceStatus last = instance.isPresent() ? instance.get() : killed.get(uid);
        PodStatus base = last == null ? (pod.getStatus() == null ? new PodStatus() : pod.getStatus())
                : PodStatuses.of(pod, pod.getStatus(), last, hostIp, clock.instant(), null);
        PodStatus status = PodStatuses.evicted(base, eviction.message(), eviction.disruption(), clock.instant());
        int code = writes.patchPodStatus(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                Serialization.asJson(Map.of("status", status)));
        if (code >= 200 && code < 300) {
            statuses.written(uid, status);
            killed.remove(uid);
            evictions.put(uid, new Eviction(eviction.message(), eviction.disruption(), true));
            return null;
        }
        return code == 404 ? null : "writing the evicted status: HTTP " + code;
    }

    /** The pod is gone. */
    void forget(String uid) {
        evictions.remove(uid);
        killed.remove(uid);
    }
}
