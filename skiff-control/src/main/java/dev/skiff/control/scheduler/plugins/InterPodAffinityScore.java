package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.HeldTerm;
import dev.skiff.control.scheduler.framework.NodeInfo;
import dev.skiff.control.scheduler.framework.NodeScorer;
import dev.skiff.control.scheduler.framework.PodCycle;
import dev.skiff.control.scheduler.framework.PodInfo;
import dev.skiff.control.scheduler.framework.PodMatcher;
import dev.skiff.control.scheduler.framework.ScorePlugin;
import dev.skiff.control.scheduler.framework.SnapshotView;
import dev.skiff.control.scheduler.model.WeightedAffinityTerm;

import java.util.List;
import java.util.Map;

/**
 * Scores preferred pod affinity and anti-affinity, as upstream's InterPodAffinity score. Per topology domain it
 * sums, over pods already placed:
 * <ul>
 *   <li>+weight for each of the pod's preferred affinity terms they match, -weight for each preferred anti-affinity
 *       term they match;</li>
 *   <li>+{@value #HARD_POD_AFFINITY_WEIGHT} for each of their required affinity terms this pod matches (upstream's
 *       {@code hardPodAffinityWeight}), +weight / -weight for each of their preferred affinity / anti-affinity terms
 *       this pod matches.</li>
 * </ul>
 * A node scores the sum of its domains; scores are then min-max normalized onto 0..100.
 */
public final class InterPodAffinityScore implements ScorePlugin {

    public static final String NAME = "InterPodAffinity";
    static final int HARD_POD_AFFINITY_WEIGHT = 1;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NodeScorer prepare(PodCycle cycle, List<NodeInfo> feasible) {
        PodInfo pod = cycle.pod();
        SnapshotView snapshot = cycle.snapshot();
        Map<HeldTerm, int[]> heldRequired = snapshot.heldTerms(HeldTerm.Kind.REQUIRED_AFFINITY);
        Map<HeldTerm, int[]> heldPreferred = snapshot.heldTerms(HeldTerm.Kind.PREFERRED_AFFINITY);
        Map<HeldTerm, int[]> heldPreferredAnti = snapshot.heldTerms(HeldTerm.Kind.PREFERRED_ANTI_AFFINITY);
        boolean ownTerms = !pod.preferredAffinity().isEmpty() || !pod.preferredAntiAffinity().isEmpty();
        if (!ownTerms && heldRequired.isEmpty() && heldPreferred.isEmpty() && heldPreferredAnti.isEmpty()) {
            return NodeScorer.SKIP;
        }
        List<NodeInfo> nodes = snapshot.nodes();
        Map<String, String> ownNamespaceLabels = cycle.podNamespaceLabels();
        TopologyPairs scores = new TopologyPairs();
        for (WeightedAffinityTerm t : pod.preferredAffinity()) {
            scores.add(t.term().topologyKey(), snapshot.countMatching(PodMatcher.of(t.term().clause(), false)),
                    t.weight(), nodes);
        }
        for (WeightedAffinityTerm t : pod.preferredAntiAffinity()) {
            scores.add(t.term().topologyKey(), snapshot.countMatching(PodMatcher.of(t.term().clause(), false)),
                    -t.weight(), nodes);
        }
        heldRequired.forEach((held, perNode) -> {
            if (held.term().matches(pod.namespace(), pod.labels(), ownNamespaceLabels)) {
                scores.add(held.term().topologyKey(), perNode, HARD_POD_AFFINITY_WEIGHT, nodes);
            }
        });
        heldPreferred.forEach((held, perNode) -> {
            if (held.term().matches(pod.namespace(), pod.labels(), ownNamespaceLabels)) {
                scores.add(held.term().topologyKey(), perNode, held.weight(), nodes);
            }
        });
        heldPreferredAnti.forEach((held, perNode) -> {
            if (held.term().matches(pod.namespace(), pod.labels(), ownNamespaceLabels)) {
                scores.add(held.term().topologyKey(), perNode, -held.weight(), nodes);
            }
        });
        if (scores.isEmpty()) {
            return NodeScorer.SKIP;
        }
        return new NodeScorer() {
            @Override
            public long score(NodeInfo node) {
                return scores.sumFor(node);
            }

            @Override
            public void normalize(List<NodeInfo> ignored, long[] raw) {
                long min = Long.MAX_VALUE;
                long max = Long.MIN_VALUE;
                for (long s : raw) {
                    min = Math.min(min, s);
                    max = Math.max(max, s);
                }
                long spread = max - min;
                for (int i = 0; i < raw.length; i++) {
                    raw[i] = spread > 0 ? (long) (MAX_NODE_SCORE * ((double) (raw[i] - min) / spread)) : 0;
                }
            }
        };
    }
}
