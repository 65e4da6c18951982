package dev.skiff.control.scheduler.model;

import io.fabric8.kubernetes.api.model.PodAffinityTerm;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled pod (anti-)affinity term: the pods it selects and the topology key that defines "together".
 *
 * <p>As upstream's {@code framework.AffinityTerm}: when neither {@code namespaces} nor {@code namespaceSelector} is
 * set, the term applies to the namespace of the pod that carries it; an empty {@code namespaceSelector} selects all
 * namespaces; a missing {@code labelSelector} selects no pod. {@code matchLabelKeys} / {@code mismatchLabelKeys}
 * add {@code key in (value)} / {@code key notin (value)} with the owning pod's label values.
 */
public record AffinityTerm(PodClause clause, String topologyKey) {

    public static AffinityTerm of(PodAffinityTerm term, String ownerNamespace, Map<String, String> ownerLabels) {
        Set<String> namespaces = new HashSet<>(term.getNamespaces() == null ? List.of() : term.getNamespaces());
        Selector namespaceSelector = term.getNamespaceSelector() == null
                ? Selector.NOTHING : Selector.of(term.getNamespaceSelector());
        if (namespaces.isEmpty() && term.getNamespaceSelector() == null) {
            namespaces.add(ownerNamespace);
        }
        Selector labels = Selector.of(term.getLabelSelector());
        if (term.getLabelSelector() != null) {
            List<Requirement> extra = new ArrayList<>();
            for (String key : nullSafe(term.getMatchLabelKeys())) {
                String value = ownerLabels.get(key);
                if (value != null) {
                    extra.add(new Requirement(key, Requirement.Operator.IN, List.of(value)));
                }
            }
            for (String key : nullSafe(term.getMismatchLabelKeys())) {
                String value = ownerLabels.get(key);
                if (value != null) {
                    extra.add(new Requirement(key, Requirement.Operator.NOT_IN, List.of(value)));
                }
            }
            labels = labels.and(extra);
        }
        String topologyKey = term.getTopologyKey() == null ? "" : term.getTopologyKey();
        return new AffinityTerm(new PodClause(namespaces, namespaceSelector, labels), topologyKey);
    }

    public boolean matches(String namespace, Map<String, String> podLabels, Map<String, String> namespaceLabels) {
        return clause.matches(namespace, podLabels, namespaceLabels);
    }

    private static List<String> nullSafe(List<String> list) {
        return list == null ? List.of() : list;
    }
}
