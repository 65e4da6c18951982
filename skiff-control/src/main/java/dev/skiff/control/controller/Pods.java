package dev.skiff.control.controller;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.time.Duration;
import java.time.Instant;

/** Pod predicates the workload controllers share, as upstream's {@code podutil}/{@code controller} helpers. */
public final class Pods {

    private Pods() {
    }

    /** Upstream's {@code IsPodActive}: not terminated and not being deleted. */
    public static boolean isActive(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase)
                && pod.getMetadata().getDeletionTimestamp() == null;
    }

    /** The pod's Ready condition, or {@code null}. */
    public static PodCondition readyCondition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        for (PodCondition condition : pod.getStatus().getConditions()) {
            if ("Ready".equals(condition.getType())) {
                return condition;
            }
        }
        return null;
    }

    public static boolean isReady(Pod pod) {
        PodCondition ready = readyCondition(pod);
        return ready != null && "True".equals(ready.getStatus());
    }

    /**
     * Upstream's {@code IsPodAvailable}: ready, and ready for at least {@code minReadySeconds} (measured from the
     * Ready condition's lastTransitionTime).
     */
    public static boolean isAvailable(Pod pod, int minReadySeconds, Instant now) {
        if (!isReady(pod)) {
            return false;
        }
        if (minReadySeconds <= 0) {
            return true;
        }
        Instant since = readySince(pod);
        return since != null && !since.plus(Duration.ofSeconds(minReadySeconds)).isAfter(now);
    }

    /** When the pod last became ready, or {@code null} if unknown. */
    public static Instant readySince(Pod pod) {
        PodCondition ready = readyCondition(pod);
        return ready == null ? null : Times.parse(ready.getLastTransitionTime());
    }
}
