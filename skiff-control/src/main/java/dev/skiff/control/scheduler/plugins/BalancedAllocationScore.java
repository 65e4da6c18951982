package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.NodeInfo;
import dev.skiff.control.scheduler.framework.NodeScorer;
import dev.skiff.control.scheduler.framework.PodCycle;
import dev.skiff.control.scheduler.framework.PodInfo;
import dev.skiff.control.scheduler.framework.ScorePlugin;

import java.util.List;

/**
 * Prefers nodes whose CPU and memory would be used in balance, as upstream's NodeResourcesBalancedAllocation:
 * with the fractions {@code requested / allocatable} (capped at 1, actual requests including the pod), the score is
 * {@code (1 - |cpuFraction - memoryFraction| / 2) x 100}. Best-effort pods (no requests) are skipped.
 */
public final class BalancedAllocationScore implements ScorePlugin {

    public static final String NAME = "NodeResourcesBalancedAllocation";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NodeScorer prepare(PodCycle cycle, List<NodeInfo> feasible) {
        PodInfo pod = cycle.pod();
        if (pod.requests().milliCpu() == 0 && pod.requests().memory() == 0) {
            return NodeScorer.SKIP;
        }
        return node -> {
            long[] v = ResourceVector.withPod(node, pod, false);
            double[] fractions = new double[2];
            int n = 0;
            for (int i = 0; i < v.length; i += 2) {
                if (v[i] == 0) {
                    continue;
                }
                fractions[n++] = Math.min(1.0, (double) v[i + 1] / v[i]);
            }
            // The standard deviation of the fractions; with two it is half their difference, with one it is zero.
            double std = n == 2 ? Math.abs((fractions[0] - fractions[1]) / 2) : 0;
            return (long) ((1 - std) * MAX_NODE_SCORE);
        };
    }
}
