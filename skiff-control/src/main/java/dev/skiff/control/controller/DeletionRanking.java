package dev.skiff.control.controller;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which surplus pods a ReplicaSet deletes first: mirrors upstream's {@code getPodsToDelete} with
 * {@code ActivePodsWithRanks}. Earlier in the order means deleted first:
 * <ol>
 *   <li>unscheduled before scheduled;</li>
 *   <li>Pending before Unknown before Running;</li>
 *   <li>not ready before ready;</li>
 *   <li>on a node crowded with related pods before on an emptier node (spreads what remains);</li>
 *   <li>ready for a shorter time before longer;</li>
 *   <li>more container restarts before fewer;</li>
 *   <li>newer before older.</li>
 * </ol>
 */
public final class DeletionRanking {

    private DeletionRanking() {
    }

    /** The {@code count} pods of {@code pods} to delete; {@code related} are the pods counted per node for rule 4. */
    public static List<Pod> podsToDelete(List<Pod> pods, List<Pod> related, int count) {
        if (count >= pods.size()) {
            return List.copyOf(pods);
        }
        Map<String, Integer> perNode = new HashMap<>();
        for (Pod pod : related) {
            String node = nodeName(pod);
            if (!node.isEmpty() && Pods.isActive(pod)) {
                perNode.merge(node, 1, Integer::sum);
            }
        }
        List<Pod> sorted = new ArrayList<>(pods);
        sorted.sort(order(perNode));
        return List.copyOf(sorted.subList(0, count));
    }

    static Comparator<Pod> order(Map<String, Integer> perNode) {
        return Comparator.<Pod>comparingInt(p -> nodeName(p).isEmpty() ? 0 : 1)
                .thenComparingInt(DeletionRanking::phaseRank)
                .thenComparingInt(p -> Pods.isReady(p) ? 1 : 0)
                .thenComparing(p -> -perNode.getOrDefault(nodeName(p), 0))
                .thenComparing(DeletionRanking::readySinceOrMin, Comparator.reverseOrder())
                .thenComparing(p -> -restarts(p))
                .thenComparing(DeletionRanking::created, Comparator.reverseOrder());
    }

    private static String nodeName(Pod pod) {
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        return node == null ? "" : node;
    }

    private static int phaseRank(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (phase == null || "Pending".equals(phase)) {
            return 0;
        }
        return "Running".equals(phase) ? 2 : 1;
    }

    private static Instant readySinceOrMin(Pod pod) {
        // Only compared between two ready pods in upstream; a not-ready pod was already ordered by rule 3.
        Instant since = Pods.isReady(pod) ? Pods.readySince(pod) : null;
        return since == null ? Instant.MIN : since;
    }

    private static int restarts(Pod pod) {
        int max = 0;
        if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
            for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
                max = Math.max(max, status.getRestartCount() == null ? 0 : status.getRestartCount());
            }
        }
        return max;
    }

    private static Instant created(Pod pod) {
        Instant created = Times.parse(pod.getMetadata().getCreationTimestamp());
        return created == null ? Instant.MIN : created;
    }
}
