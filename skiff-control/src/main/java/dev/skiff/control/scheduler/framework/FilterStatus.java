package dev.skiff.control.scheduler.framework;

import java.util.List;

/**
 * The outcome of filtering one node for one pod: it passes, or it is rejected for one or more reasons.
 *
 * <p>Reasons use upstream's wording (e.g. {@code Insufficient cpu}, {@code node(s) had untolerated taint {k: v}})
 * because they are counted into the FailedScheduling message users already know. {@code unresolvable} mirrors
 * upstream's {@code UnschedulableAndUnresolvable} code: no preemption could make the node fit.
 */
public sealed interface FilterStatus {

    /** The node passes. */
    FilterStatus PASS = new Pass();

    static Rejected unschedulable(String... reasons) {
        return new Rejected(List.of(reasons), false);
    }

    static Rejected unresolvable(String... reasons) {
        return new Rejected(List.of(reasons), true);
    }

    /** The node passes this filter. */
    record Pass() implements FilterStatus {
    }

    /** The node does not fit, for these reasons (in the filter's order). */
    record Rejected(List<String> reasons, boolean unresolvable) implements FilterStatus {
        public Rejected {
            reasons = List.copyOf(reasons);
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("a rejection needs a reason");
            }
        }
    }
}
