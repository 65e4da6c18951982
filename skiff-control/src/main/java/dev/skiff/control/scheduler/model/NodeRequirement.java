package dev.skiff.control.scheduler.model;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;

import java.util.List;
import java.util.Map;

/**
 * What a pod requires of its node's labels: {@code spec.nodeSelector} AND
 * {@code affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution} (whose terms are ORed).
 *
 * <p>This is upstream's {@code nodeaffinity.RequiredNodeAffinity}, used by the NodeAffinity filter and by
 * PodTopologySpread's {@code nodeAffinityPolicy: Honor}. A required node selector with no terms matches no node,
 * as upstream.
 *
 * @param nodeSelector the pod's {@code spec.nodeSelector} (may be empty)
 * @param terms        the required terms, or {@code null} when the pod has no required node affinity
 */
public record NodeRequirement(Map<String, String> nodeSelector, List<NodeTerm> terms) {

    /** Requires nothing. */
    public static final NodeRequirement NONE = new NodeRequirement(Map.of(), null);

    public static NodeRequirement of(PodSpec spec) {
        if (spec == null) {
            return NONE;
        }
        Map<String, String> selector = spec.getNodeSelector() == null ? Map.of() : Map.copyOf(spec.getNodeSelector());
        List<NodeTerm> terms = null;
        Affinity affinity = spec.getAffinity();
        if (affinity != null && affinity.getNodeAffinity() != null) {
            NodeSelector required = affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
            if (required != null) {
                List<NodeSelectorTerm> raw = required.getNodeSelectorTerms() == null
                        ? List.of() : required.getNodeSelectorTerms();
                terms = raw.stream().map(NodeTerm::of).toList();
            }
        }
        return selector.isEmpty() && terms == null ? NONE : new NodeRequirement(selector, terms);
    }

    public boolean isNone() {
        return nodeSelector.isEmpty() && terms == null;
    }

    public boolean matches(Map<String, String> nodeLabels, String nodeName) {
        for (Map.Entry<String, String> e : nodeSelector.entrySet()) {
            if (!e.getValue().equals(nodeLabels.get(e.getKey()))) {
                return false;
            }
        }
        if (terms == null) {
            return true;
        }
        for (NodeTerm term : terms) {
            if (term.matches(nodeLabels, nodeName)) {
                return true;
            }
        }
        return false;
    }
}
