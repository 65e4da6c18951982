package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.NodeInfo;
import dev.skiff.control.scheduler.framework.NodeScorer;
import dev.skiff.control.scheduler.framework.PodCycle;
import dev.skiff.control.scheduler.framework.PodInfo;
import dev.skiff.control.scheduler.framework.ScorePlugin;

import java.util.List;

/**
 * Prefers nodes with more free CPU and memory, as upstream's NodeResourcesFit score with its default
 * {@code LeastAllocated} strategy: per resource {@code (allocatable - requested) x 100 / allocatable} (requested
 * including the pod, with 100m/200Mi for containers without requests; 0 when over capacity), averaged with weight 1
 * each over the resources the node has.
 */
public final class LeastAllocatedScore implements ScorePlugin {

    public static final String NAME = "NodeResourcesFit";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NodeScorer prepare(PodCycle cycle, List<NodeInfo> feasible) {
        PodInfo pod = cycle.pod();
        return node -> {
            long[] v = ResourceVector.withPod(node, pod, true);
            long sum = 0;
            long weights = 0;
            for (int i = 0; i < v.length; i += 2) {
                long allocatable = v[i];
                if (allocatable == 0) {
                    continue;
                }
                sum += leastRequested(v[i + 1], allocatable);
                weights++;
            }
            return weights == 0 ? 0 : sum / weights;
        };
    }

    static long leastRequested(long requested, long capacity) {
        if (capacity == 0 || requested > capacity) {
            return 0;
        }
        // Computed in double where the product would overflow: virtual nodes advertise huge capacities.
        long free = capacity - requested;
        if (free > Long.MAX_VALUE / MAX_NODE_SCORE) {
            return (long) ((double) free * MAX_NODE_SCORE / capacity);
        }
        return free * MAX_NODE_SCORE / capacity;
    }
}
