package dev.skiff.control.scheduler.model;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A compiled {@code NodeSelectorTerm}: label requirements ({@code matchExpressions}) and field requirements
 * ({@code matchFields}, where only {@code metadata.name} exists), all of which must hold.
 *
 * <p>As upstream's {@code component-helpers/scheduling/corev1/nodeaffinity}: an empty term matches no node, and a
 * term that fails to parse (unknown operator, unknown field, {@code Gt} without exactly one integer...) matches no
 * node either, instead of failing the whole pod.
 */
public record NodeTerm(List<Requirement> labels, List<Requirement> fields, boolean valid) {

    /** The only node field a node selector may use. */
    public static final String FIELD_NAME = "metadata.name";

    public static NodeTerm of(NodeSelectorTerm term) {
        if (term == null) {
            return new NodeTerm(List.of(), List.of(), false);
        }
        List<Requirement> labels = new ArrayList<>();
        List<Requirement> fields = new ArrayList<>();
        boolean valid = true;
        for (NodeSelectorRequirement r : nullSafe(term.getMatchExpressions())) {
            Requirement.Operator op = Requirement.Operator.parse(r.getOperator());
            if (op == null || r.getKey() == null) {
                valid = false;
                continue;
            }
            labels.add(new Requirement(r.getKey(), op, r.getValues()));
        }
        for (NodeSelectorRequirement r : nullSafe(term.getMatchFields())) {
            Requirement.Operator op = Requirement.Operator.parse(r.getOperator());
            // Upstream accepts only metadata.name with In or NotIn and exactly one value.
            if (!FIELD_NAME.equals(r.getKey()) || (op != Requirement.Operator.IN && op != Requirement.Operator.NOT_IN)
                    || r.getValues() == null || r.getValues().size() != 1) {
                valid = false;
                continue;
            }
            fields.add(new Requirement(r.getKey(), op, r.getValues()));
        }
        return new NodeTerm(List.copyOf(labels), List.copyOf(fields), valid);
    }

    /** Whether a node with these labels and this name satisfies the term. */
    public boolean matches(Map<String, String> nodeLabels, String nodeName) {
        if (!valid || (labels.isEmpty() && fields.isEmpty())) {
            return false;
        }
        for (Requirement requirement : labels) {
            if (!requirement.matches(nodeLabels)) {
                return false;
            }
        }
        if (!fields.isEmpty()) {
            Map<String, String> nodeFields = Map.of(FIELD_NAME, nodeName);
            for (Requirement requirement : fields) {
                if (!requirement.matches(nodeFields)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
