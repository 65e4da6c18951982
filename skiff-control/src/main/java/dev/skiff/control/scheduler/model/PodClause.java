package dev.skiff.control.scheduler.model;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which pods a pod affinity term or a spread constraint counts: pods in one of {@code namespaces} or in a namespace
 * whose labels match {@code namespaceSelector}, whose labels match {@code labels}.
 *
 * <p>Upstream merges the namespace selector into the namespace set at PreFilter time through a namespace lister;
 * here it is evaluated against the snapshot's namespace labels, which gives the same answer.
 *
 * @param namespaces        namespaces listed explicitly (after defaulting to the owning pod's namespace)
 * @param namespaceSelector selects namespaces by labels; {@link Selector#NOTHING} when absent
 * @param labels            selects pods by labels
 */
public record PodClause(Set<String> namespaces, Selector namespaceSelector, Selector labels) {

    public PodClause {
        namespaces = Set.copyOf(namespaces);
        Objects.requireNonNull(namespaceSelector, "namespaceSelector");
        Objects.requireNonNull(labels, "labels");
    }

    /** A clause counting pods of one namespace (topology spread). */
    public static PodClause inNamespace(String namespace, Selector labels) {
        return new PodClause(Set.of(namespace), Selector.NOTHING, labels);
    }

    /**
     * Whether a pod in {@code namespace} with {@code podLabels} is selected.
     *
     * @param namespaceLabels the labels of the pod's namespace (empty when unknown)
     */
    public boolean matches(String namespace, Map<String, String> podLabels, Map<String, String> namespaceLabels) {
        if (!namespaces.contains(namespace) && !namespaceSelector.matches(namespaceLabels)) {
            return false;
        }
        return labels.matches(podLabels);
    }
}
