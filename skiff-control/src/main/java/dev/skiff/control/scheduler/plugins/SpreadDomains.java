package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.NodeInfo;
import dev.skiff.control.scheduler.framework.PodInfo;
import dev.skiff.control.scheduler.framework.PodMatcher;
import dev.skiff.control.scheduler.framework.SnapshotView;
import dev.skiff.control.scheduler.model.SpreadConstraint;
import dev.skiff.control.scheduler.model.Tolerations;

import java.util.List;

/** What PodTopologySpread's filter and score share: which nodes count for a constraint, and the pod counts. */
final class SpreadDomains {

    private SpreadDomains() {
    }

    /** Whether the node carries every constraint's topology key (nodes without one form no domain). */
    static boolean hasAllKeys(NodeInfo node, List<SpreadConstraint> constraints) {
        for (SpreadConstraint c : constraints) {
            if (!node.labels().containsKey(c.topologyKey())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Upstream's node inclusion policies: with {@code nodeAffinityPolicy: Honor} (the default) only nodes matching
     * the pod's nodeSelector/required affinity count; with {@code nodeTaintsPolicy: Honor} only nodes whose
     * NoSchedule/NoExecute taints the pod tolerates.
     */
    static boolean included(SpreadConstraint c, PodInfo pod, NodeInfo node) {
        if (c.honorNodeAffinity() && !pod.nodeRequirement().matches(node.labels(), node.name())) {
            return false;
        }
        return !c.honorNodeTaints() || Tolerations.firstUntolerated(node.taints(), pod.tolerations(),
                Tolerations::blocksScheduling).isEmpty();
    }

    /**
     * Matching pods per node ordinal, or null when the constraint counts nothing: as upstream's
     * {@code countPodsMatchSelector}, an empty selector counts no pod (and a missing one matches none).
     */
    static int[] counts(SpreadConstraint c, SnapshotView snapshot) {
        if (c.selector().nothing() || c.selector().isEmpty()) {
            return null;
        }
        return snapshot.countMatching(PodMatcher.of(c.clause(), true));
    }
}
