package dev.skiff.control.scheduler.model;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Taint and toleration matching, as {@code v1.Toleration.ToleratesTaint} upstream.
 *
 * <p>A toleration with an empty effect matches every effect; an empty key matches every key (with {@code Exists}
 * it tolerates everything); an empty operator means {@code Equal}, which compares values.
 */
public final class Tolerations {

    public static final String NO_SCHEDULE = "NoSchedule";
    public static final String NO_EXECUTE = "NoExecute";
    public static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";

    private Tolerations() {
    }

    public static boolean tolerates(Toleration toleration, Taint taint) {
        if (!isEmpty(toleration.getEffect()) && !toleration.getEffect().equals(taint.getEffect())) {
            return false;
        }
        if (!isEmpty(toleration.getKey()) && !toleration.getKey().equals(taint.getKey())) {
            return false;
        }
        String operator = toleration.getOperator();
        if (isEmpty(operator) || "Equal".equals(operator)) {
            return nullToEmpty(toleration.getValue()).equals(nullToEmpty(taint.getValue()));
        }
        return "Exists".equals(operator);
    }

    /** Whether any of the tolerations tolerates the taint. */
    public static boolean tolerated(List<Toleration> tolerations, Taint taint) {
        for (Toleration toleration : tolerations) {
            if (tolerates(toleration, taint)) {
                return true;
            }
        }
        return false;
    }

    /** The first taint (in the node's order) selected by {@code effects} that no toleration tolerates. */
    public static Optional<Taint> firstUntolerated(List<Taint> taints, List<Toleration> tolerations,
                                                   Predicate<Taint> effects) {
        for (Taint taint : taints) {
            if (effects.test(taint) && !tolerated(tolerations, taint)) {
                return Optional.of(taint);
            }
        }
        return Optional.empty();
    }

    /** The effects the scheduler's filter honours: {@code NoSchedule} and {@code NoExecute}. */
    public static boolean blocksScheduling(Taint taint) {
        return NO_SCHEDULE.equals(taint.getEffect()) || NO_EXECUTE.equals(taint.getEffect());
    }

    static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
