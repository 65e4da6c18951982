package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.NodeInfo;
import dev.skiff.control.scheduler.framework.NodeScorer;
import dev.skiff.control.scheduler.framework.PodCycle;
import dev.skiff.control.scheduler.framework.ScorePlugin;
import dev.skiff.control.scheduler.model.WeightedNodeTerm;

import java.util.List;

/**
 * Scores preferred node affinity, as upstream's NodeAffinity score: the sum of the weights of the
 * {@code preferredDuringSchedulingIgnoredDuringExecution} terms a node matches, scaled so the best node gets 100.
 */
public final class NodeAffinityScore implements ScorePlugin {

    public static final String NAME = "NodeAffinity";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NodeScorer prepare(PodCycle cycle, List<NodeInfo> feasible) {
        List<WeightedNodeTerm> terms = cycle.pod().preferredNodeTerms();
        if (terms.isEmpty()) {
            return NodeScorer.SKIP;
        }
        return new NodeScorer() {
            @Override
            public long score(NodeInfo node) {
                long sum = 0;
                for (WeightedNodeTerm t : terms) {
                    if (t.term().matches(node.labels(), node.name())) {
                        sum += t.weight();
                    }
                }
                return sum;
            }

            @Override
            public void normalize(List<NodeInfo> nodes, long[] scores) {
                Normalize.byMax(scores, false);
            }
        };
    }
}
