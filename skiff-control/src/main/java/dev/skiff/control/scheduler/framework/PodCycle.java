package dev.skiff.control.scheduler.framework;

import java.util.Map;

/**
 * One pod's scheduling cycle: the pod and the snapshot it is decided on (upstream's {@code CycleState} holds what
 * plugins precompute; here plugins keep that in the {@link NodeFilter}/{@link NodeScorer} they return).
 */
public record PodCycle(PodInfo pod, SnapshotView snapshot) {

    /** The labels of the pod's own namespace. */
    public Map<String, String> podNamespaceLabels() {
        return snapshot.namespaceLabels(pod.namespace());
    }
}
