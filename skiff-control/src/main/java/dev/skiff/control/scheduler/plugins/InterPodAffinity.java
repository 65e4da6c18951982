package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.FilterPlugin;
import dev.skiff.control.scheduler.framework.FilterStatus;
import dev.skiff.control.scheduler.framework.HeldTerm;
import dev.skiff.control.scheduler.framework.NodeFilter;
import dev.skiff.control.scheduler.framework.NodeInfo;
import dev.skiff.control.scheduler.framework.PodCycle;
import dev.skiff.control.scheduler.framework.PodInfo;
import dev.skiff.control.scheduler.framework.PodMatcher;
import dev.skiff.control.scheduler.framework.SnapshotView;
import dev.skiff.control.scheduler.model.AffinityTerm;

import java.util.List;
import java.util.Map;

/**
 * Enforces required pod affinity and anti-affinity, as upstream's InterPodAffinity filter, in upstream's order:
 * <ol>
 *   <li>the pod's required affinity: every term's topology key is on the node and some pod matching all the terms
 *       runs in the node's domain for each term; except that the first pod of a group whose terms match itself
 *       may go anywhere carrying the keys when no pod in the cluster matches ({@code didn't match pod affinity
 *       rules}, unresolvable);</li>
 *   <li>the pod's required anti-affinity: no matching pod in the node's domain of any term
 *       ({@code didn't match pod anti-affinity rules});</li>
 *   <li>symmetry: no pod already placed has a required anti-affinity term that matches this pod and whose domain
 *       contains the node ({@code didn't satisfy existing pods anti-affinity rules}).</li>
 * </ol>
 * Term namespaces (explicit, by selector, or the owner's) are honoured. Counts come from the snapshot's indexes:
 * per distinct term, not per existing pod.
 */
public final class InterPodAffinity implements FilterPlugin {

    public static final String NAME = "InterPodAffinity";
    static final String REASON_AFFINITY = "node(s) didn't match pod affinity rules";
    static final String REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
    static final String REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NodeFilter prepare(PodCycle cycle) {
        PodInfo pod = cycle.pod();
        SnapshotView snapshot = cycle.snapshot();
        Map<HeldTerm, int[]> heldAnti = snapshot.heldTerms(HeldTerm.Kind.REQUIRED_ANTI_AFFINITY);
        if (pod.requiredAffinity().isEmpty() && pod.requiredAntiAffinity().isEmpty() && heldAnti.isEmpty()) {
            return NodeFilter.PASS_ALL;
        }
        List<NodeInfo> nodes = snapshot.nodes();
        Map<String, String> ownNamespaceLabels = cycle.podNamespaceLabels();

        TopologyPairs existingAnti = new TopologyPairs();
        heldAnti.forEach((held, perNode) -> {
            if (held.term().matches(pod.namespace(), pod.labels(), ownNamespaceLabels)) {
                existingAnti.add(held.term().topologyKey(), perNode, 1, nodes);
            }
        });

        TopologyPairs anti = new TopologyPairs();
        for (AffinityTerm term : pod.requiredAntiAffinity()) {
            anti.add(term.topologyKey(), snapshot.countMatching(PodMatcher.of(term.clause(), false)), 1, nodes);
        }

        List<AffinityTerm> affinityTerms = pod.requiredAffinity();
        TopologyPairs affinity = new TopologyPairs();
        boolean selfMatch = false;
        if (!affinityTerms.isEmpty()) {
            int[] matchingAll = snapshot.countMatching(new PodMatcher(
                    affinityTerms.stream().map(AffinityTerm::clause).toList(), false));
            for (AffinityTerm term : affinityTerms) {
                affinity.add(term.topologyKey(), matchingAll, 1, nodes);
            }
            selfMatch = affinityTerms.stream()
                    .allMatch(t -> t.matches(pod.namespace(), pod.labels(), ownNamespaceLabels));
        }
        boolean firstOfGroup = affinity.isEmpty() && selfMatch;

        return node -> {
            if (!affinityTerms.isEmpty() && !satisfiesAffinity(affinityTerms, affinity, firstOfGroup, node)) {
                return FilterStatus.unresolvable(REASON_AFFINITY);
            }
            for (AffinityTerm term : pod.requiredAntiAffinity()) {
                String value = node.labels().get(term.topologyKey());
                if (value != null && anti.get(term.topologyKey(), value) > 0) {
                    return FilterStatus.unschedulable(REASON_ANTI_AFFINITY);
                }
            }
            if (!existingAnti.isEmpty() && existingAnti.anyPositiveFor(node)) {
                return FilterStatus.unschedulable(REASON_EXISTING_ANTI_AFFINITY);
            }
            return FilterStatus.PASS;
        };
    }

    private static boolean satisfiesAffinity(List<AffinityTerm> terms, TopologyPairs counts, boolean firstOfGroup,
                                             NodeInfo node) {
        boolean podsExist = true;
        for (AffinityTerm term : terms) {
            String value = node.labels().get(term.topologyKey());
            if (value == null) {
                return false;
            }
            if (counts.get(term.topologyKey(), value) <= 0) {
                podsExist = false;
            }
        }
        return podsExist || firstOfGroup;
    }
}
