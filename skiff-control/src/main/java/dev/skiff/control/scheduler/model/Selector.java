package dev.skiff.control.scheduler.model;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A compiled label selector: the conjunction of its requirements, or {@link #NOTHING}.
 *
 * <p>Mirrors {@code metav1.LabelSelectorAsSelector}: a {@code null} selector selects nothing, an empty one
 * ({@code {}}) selects everything. A selector with an invalid operator also compiles to {@link #NOTHING} (the API
 * server rejects such objects; the scheduler must not crash on them). Requirements are sorted so equal selectors
 * are equal records and can key the snapshot's match indexes.
 */
public record Selector(List<Requirement> requirements, boolean nothing) {

    // Declared first: the constants below are built with it.
    private static final Comparator<Requirement> ORDER = Comparator.comparing(Requirement::key)
            .thenComparing(Requirement::operator)
            .thenComparing(r -> String.join(",", r.values()));

    /** Selects no object at all. */
    public static final Selector NOTHING = new Selector(List.of(), true);
    /** Selects every object. */
    public static final Selector EVERYTHING = new Selector(List.of(), false);

    public Selector {
        requirements = requirements.stream().sorted(ORDER).toList();
    }

    /** Compiles an API label selector. */
    public static Selector of(LabelSelector selector) {
        if (selector == null) {
            return NOTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((k, v) -> requirements.add(new Requirement(k, Requirement.Operator.IN,
                    List.of(v == null ? "" : v))));
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement expression : selector.getMatchExpressions()) {
                Requirement.Operator op = Requirement.Operator.parse(expression.getOperator());
                // Gt and Lt are node-selector operators only: a label selector carrying them is invalid.
                if (op == null || op == Requirement.Operator.GT || op == Requirement.Operator.LT
                        || expression.getKey() == null) {
                    return NOTHING;
                }
                requirements.add(new Requirement(expression.getKey(), op, expression.getValues()));
            }
        }
        return new Selector(requirements, false);
    }

    /** A selector matching exactly the given labels (as {@code matchLabels}). */
    public static Selector ofLabels(Map<String, String> labels) {
        List<Requirement> requirements = new ArrayList<>();
        labels.forEach((k, v) -> requirements.add(new Requirement(k, Requirement.Operator.IN, List.of(v))));
        return new Selector(requirements, false);
    }

    /** This selector with more requirements (e.g. from {@code matchLabelKeys}). */
    public Selector and(List<Requirement> more) {
        if (nothing || more.isEmpty()) {
            return this;
        }
        List<Requirement> all = new ArrayList<>(requirements);
        all.addAll(more);
        return new Selector(all, false);
    }

    /** True for a selector with no requirements that selects everything (upstream's {@code Selector.Empty()}). */
    public boolean isEmpty() {
        return !nothing && requirements.isEmpty();
    }

    public boolean matches(Map<String, String> labels) {
        if (nothing) {
            return false;
        }
        for (Requirement requirement : requirements) {
            if (!requirement.matches(labels)) {
                return false;
            }
        }
        return true;
    }
}
