package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.FilterPlugin;
import dev.skiff.control.scheduler.framework.FilterStatus;
import dev.skiff.control.scheduler.framework.NodeFilter;
import dev.skiff.control.scheduler.framework.NodeInfo;
import dev.skiff.control.scheduler.framework.PodCycle;
import dev.skiff.control.scheduler.framework.PodInfo;
import dev.skiff.control.scheduler.model.SpreadConstraint;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Enforces {@code topologySpreadConstraints} with {@code whenUnsatisfiable: DoNotSchedule}, as upstream's
 * PodTopologySpread filter: a node fits when, for every constraint,
 * {@code matching pods in its domain + (1 if the pod matches its own selector) - global minimum <= maxSkew}.
 *
 * <p>Domains are the topology values of nodes that carry all the constraints' keys and pass the node inclusion
 * policies; the global minimum is taken over those domains (0 while fewer than {@code minDomains} exist). Matching
 * pods per node come from the snapshot's incremental index, so each cycle costs O(nodes x constraints) however
 * many pods exist.
 */
public final class PodTopologySpread implements FilterPlugin {

    public static final String NAME = "PodTopologySpread";
    static final String REASON = "node(s) didn't match pod topology spread constraints";
    static final String REASON_MISSING_LABEL = REASON + " (missing required label)";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NodeFilter prepare(PodCycle cycle) {
        PodInfo pod = cycle.pod();
        List<SpreadConstraint> constraints = pod.spreadConstraints().stream()
                .filter(SpreadConstraint::doNotSchedule).toList();
        if (constraints.isEmpty()) {
            return NodeFilter.PASS_ALL;
        }
        List<NodeInfo> nodes = cycle.snapshot().nodes();
        int n = constraints.size();
        List<Map<String, Long>> domains = new java.util.ArrayList<>(n);
        long[] minimum = new long[n];
        int[] selfMatch = new int[n];
        for (int i = 0; i < n; i++) {
            SpreadConstraint c = constraints.get(i);
            int[] counts = SpreadDomains.counts(c, cycle.snapshot());
            Map<String, Long> perDomain = new HashMap<>();
            for (NodeInfo node : nodes) {
                if (!SpreadDomains.hasAllKeys(node, constraints) || !SpreadDomains.included(c, pod, node)) {
                    continue;
                }
                long count = counts == null ? 0 : counts[node.ordinal()];
                perDomain.merge(node.labels().get(c.topologyKey()), count, Long::sum);
            }
            long min = perDomain.values().stream().mapToLong(Long::longValue).min().orElse(Integer.MAX_VALUE);
            if (perDomain.size() < c.minDomains()) {
                min = 0;
            }
            domains.add(perDomain);
            minimum[i] = min;
            selfMatch[i] = c.selector().matches(pod.labels()) ? 1 : 0;
        }
        return node -> {
            for (int i = 0; i < n; i++) {
                SpreadConstraint c = constraints.get(i);
                String value = node.labels().get(c.topologyKey());
                if (value == null) {
                    return FilterStatus.unresolvable(REASON_MISSING_LABEL);
                }
                long skew = domains.get(i).getOrDefault(value, 0L) + selfMatch[i] - minimum[i];
                if (skew > c.maxSkew()) {
                    return FilterStatus.unschedulable(REASON);
                }
            }
            return FilterStatus.PASS;
        };
    }
}
