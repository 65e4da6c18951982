package dev.skiff.control.scheduler.framework;

import dev.skiff.control.scheduler.model.Selector;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read-only cluster state one scheduling cycle decides on (upstream's {@code framework.SharedLister} over the
 * cycle's snapshot): nodes with their pods, namespace labels, and per-node counts answered from indexes.
 *
 * <p>Not thread-safe and not to be retained: a view is valid for the cycle it was given to, on the scheduling
 * thread. Nothing changes during a cycle. Returned arrays are indexed by {@link NodeInfo#ordinal()} and must not be
 * modified.
 */
public interface SnapshotView {

    /** All nodes, ordered by name (a deterministic order for tie-breaking). */
    List<NodeInfo> nodes();

    /** The labels of a namespace; empty when the namespace is unknown. */
    Map<String, String> namespaceLabels(String namespace);

    /**
     * How many pods on each node satisfy {@code matcher}. Answered from an index the snapshot keeps up to date as
     * pods are added and removed, so asking again in later cycles is O(nodes), not O(pods).
     */
    int[] countMatching(PodMatcher matcher);

    /** The pod affinity terms of {@code kind} held by pods in the snapshot, with per-node holder counts. */
    Map<HeldTerm, int[]> heldTerms(HeldTerm.Kind kind);

    /**
     * The selector of upstream's system default topology spread constraints for a pod that declares none: the
     * Services selecting it and its ReplicationController/ReplicaSet/StatefulSet ({@link WorkloadSelectors}). Empty
     * when nothing selects the pod, or when the view knows no workloads.
     */
    default Optional<Selector> defaultSpreadSelector(PodInfo pod) {
        return Optional.empty();
    }
}
