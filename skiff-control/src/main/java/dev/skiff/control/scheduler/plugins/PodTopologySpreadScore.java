package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.NodeInfo;
import dev.skiff.control.scheduler.framework.NodeScorer;
import dev.skiff.control.scheduler.framework.PodCycle;
import dev.skiff.control.scheduler.framework.PodInfo;
import dev.skiff.control.scheduler.framework.ScorePlugin;
import dev.skiff.control.scheduler.model.SpreadConstraint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prefers nodes whose domains hold fewer matching pods for {@code whenUnsatisfiable: ScheduleAnyway} constraints,
 * as upstream's PodTopologySpread score: a node's raw score is
 * {@code sum over constraints of (matching pods in its domain x log(domains + 2) + maxSkew - 1)}, then the scores
 * are inverted onto 0..100 ({@code 100 x (max + min - score) / max}). Feasible nodes lacking a topology key are
 * ignored (score 0). A pod without constraints gets upstream's system defaults ({@link SystemDefaultSpread}); then,
 * as upstream, nodes lacking a topology key are not ignored but scored on the keys they carry.
 *
 * <p>Counts come from the snapshot, which holds the pods assumed earlier in the same batch, so a batch of replicas
 * spreads as if they had been scheduled one cycle at a time.
 */
public final class PodTopologySpreadScore implements ScorePlugin {

    public static final String NAME = "PodTopologySpread";
    static final String HOSTNAME = "kubernetes.io/hostname";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NodeScorer prepare(PodCycle cycle, List<NodeInfo> feasible) {
        PodInfo pod = cycle.pod();
        boolean systemDefaulted = pod.spreadConstraints().isEmpty();
        List<SpreadConstraint> constraints = systemDefaulted ? SystemDefaultSpread.constraints(cycle)
                : pod.spreadConstraints().stream().filter(c -> !c.doNotSchedule()).toList();
        if (constraints.isEmpty()) {
            return NodeScorer.SKIP;
        }
        // Upstream's requireAllTopologies: only a pod's own constraints make nodes without every key ignored.
        boolean requireAllTopologies = !systemDefaulted;
        int n = constraints.size();
        Set<String> ignored = new HashSet<>();
        List<Map<String, Long>> pairCounts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            pairCounts.add(new HashMap<>());
        }
        for (NodeInfo node : feasible) {
            if (requireAllTopologies && !SpreadDomains.hasAllKeys(node, constraints)) {
                ignored.add(node.name());
                continue;
            }
            for (int i = 0; i < n; i++) {
                String key = constraints.get(i).topologyKey();
                String value = node.labels().get(key);
                if (!HOSTNAME.equals(key) && value != null) {
                    pairCounts.get(i).putIfAbsent(value, 0L);
                }
            }
        }
        double[] weight = new double[n];
        int[][] counts = new int[n][];
        for (int i = 0; i < n; i++) {
            SpreadConstraint c = constraints.get(i);
            int size = HOSTNAME.equals(c.topologyKey()) ? feasible.size() - ignored.size() : pairCounts.get(i).size();
            weight[i] = Math.log(size + 2);
            counts[i] = SpreadDomains.counts(c, cycle.snapshot());
        }
        // Domain counts come from every node (not only feasible ones) that counts for the constraint.
        for (NodeInfo node : cycle.snapshot().nodes()) {
            if (requireAllTopologies && !SpreadDomains.hasAllKeys(node, constraints)) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                SpreadConstraint c = constraints.get(i);
                if (HOSTNAME.equals(c.topologyKey()) || counts[i] == null || !SpreadDomains.included(c, pod, node)) {
                    continue;
                }
                String value = node.labels().get(c.topologyKey());
                if (value == null) {
                    continue;
                }
                long add = counts[i][node.ordinal()];
                pairCounts.get(i).computeIfPresent(value, (k, v) -> v + add);
            }
        }
        return new NodeScorer() {
            @Override
            public long score(NodeInfo node) {
                if (ignored.contains(node.name())) {
                    return 0;
                }
                double score = 0;
                for (int i = 0; i < n; i++) {
                    SpreadConstraint c = constraints.get(i);
                    String value = node.labels().get(c.topologyKey());
                    if (value == null) {
                        continue;
                    }
                    long count = HOSTNAME.equals(c.topologyKey())
                            ? (counts[i] == null ? 0 : counts[i][node.ordinal()])
                            : pairCounts.get(i).getOrDefault(value, 0L);
                    score += count * weight[i] + (c.maxSkew() - 1);
                }
                return Math.round(score);
            }

            @Override
            public void normalize(List<NodeInfo> nodes, long[] scores) {
                long min = Long.MAX_VALUE;
                long max = 0;
                for (int i = 0; i < scores.length; i++) {
                    if (ignored.contains(nodes.get(i).name())) {
                        continue;
                    }
                    min = Math.min(min, scores[i]);
                    max = Math.max(max, scores[i]);
                }
                for (int i = 0; i < scores.length; i++) {
                    if (ignored.contains(nodes.get(i).name())) {
                        scores[i] = 0;
                    } else if (max == 0) {
                        scores[i] = MAX_NODE_SCORE;
                    } else {
                        scores[i] = MAX_NODE_SCORE * (max + min - scores[i]) / max;
                    }
                }
            }
        };
    }
}
