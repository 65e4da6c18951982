package dev.skiff.control.scheduler.testing;

import dev.skiff.control.scheduler.framework.ClusterSnapshot;
import dev.skiff.control.scheduler.framework.FilterPlugin;
import dev.skiff.control.scheduler.framework.FilterStatus;
import dev.skiff.control.scheduler.framework.NodeFilter;
import dev.skiff.control.scheduler.framework.NodeInfo;
import dev.skiff.control.scheduler.framework.NodeScorer;
import dev.skiff.control.scheduler.framework.PodCycle;
import dev.skiff.control.scheduler.framework.PodInfo;
import dev.skiff.control.scheduler.framework.ScorePlugin;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs one plugin over a snapshot, as the scheduler would, for table tests. */
public final class Harness {

    private Harness() {
    }

    public static ClusterSnapshot snapshot(List<Node> nodes, List<Pod> pods) {
        return ClusterSnapshot.of(nodes, pods, Map.of());
    }

    /** Each node's status for the pod. */
    public static Map<String, FilterStatus> filter(FilterPlugin plugin, ClusterSnapshot snapshot, Pod pod) {
        NodeFilter filter = plugin.prepare(new PodCycle(PodInfo.of(pod), snapshot));
        Map<String, FilterStatus> out = new LinkedHashMap<>();
        for (NodeInfo node : snapshot.nodes()) {
            out.put(node.name(), filter.filter(node));
        }
        return out;
    }

    /** The nodes passing the filter. */
    public static List<String> passing(FilterPlugin plugin, ClusterSnapshot snapshot, Pod pod) {
        return filter(plugin, snapshot, pod).entrySet().stream()
                .filter(e -> e.getValue() instanceof FilterStatus.Pass).map(Map.Entry::getKey).toList();
    }

    /** The single reason a node was rejected for (or null if it passed). */
    public static String reason(FilterStatus status) {
        return status instanceof FilterStatus.Rejected r ? String.join("; ", r.reasons()) : null;
    }

    /** Normalized scores over all nodes of the snapshot (all treated as feasible), or null when skipped. */
    public static Map<String, Long> scores(ScorePlugin plugin, ClusterSnapshot snapshot, Pod pod) {
        List<NodeInfo> nodes = snapshot.nodes();
        NodeScorer scorer = plugin.prepare(new PodCycle(PodInfo.of(pod), snapshot), nodes);
        if (scorer == NodeScorer.SKIP) {
            return null;
        }
        long[] raw = new long[nodes.size()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = scorer.score(nodes.get(i));
        }
        scorer.normalize(nodes, raw);
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < raw.length; i++) {
            out.put(nodes.get(i).name(), raw[i]);
        }
        return out;
    }
}
