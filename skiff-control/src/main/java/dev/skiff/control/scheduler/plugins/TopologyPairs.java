package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.NodeInfo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts per topology pair ({@code key=value}), as upstream's {@code topologyToMatchedTermCount}: per-node counts
 * are folded into the domain of each node that carries the key.
 */
final class TopologyPairs {

    private final Map<String, Map<String, Long>> counts = new HashMap<>();

    /** Adds {@code weight x perNode[node]} to the {@code key} domain of every node that carries the key. */
    void add(String key, int[] perNode, long weight, List<NodeInfo> nodes) {
        for (NodeInfo node : nodes) {
            int n = perNode[node.ordinal()];
            if (n == 0) {
                continue;
            }
            String value = node.labels().get(key);
            if (value != null) {
                counts.computeIfAbsent(key, k -> new HashMap<>()).merge(value, weight * n, Long::sum);
            }
        }
    }

    long get(String key, String value) {
        Map<String, Long> byValue = counts.get(key);
        return byValue == null ? 0 : byValue.getOrDefault(value, 0L);
    }

    boolean isEmpty() {
        return counts.isEmpty();
    }

    /** The sum over every key this node carries of the count of its domain (the inter-pod affinity score). */
    long sumFor(NodeInfo node) {
        long sum = 0;
        for (Map.Entry<String, Map<String, Long>> e : counts.entrySet()) {
            String value = node.labels().get(e.getKey());
            if (value != null) {
                sum += e.getValue().getOrDefault(value, 0L);
            }
        }
        return sum;
    }

    /** Whether any domain of a key the node carries has a positive count. */
    boolean anyPositiveFor(NodeInfo node) {
        for (Map.Entry<String, Map<String, Long>> e : counts.entrySet()) {
            String value = node.labels().get(e.getKey());
            if (value != null && e.getValue().getOrDefault(value, 0L) > 0) {
                return true;
            }
        }
        return false;
    }
}
