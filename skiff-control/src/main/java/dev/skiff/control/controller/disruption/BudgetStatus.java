package dev.skiff.control.controller.disruption;

import dev.skiff.control.controller.Keys;
import dev.skiff.control.controller.Pods;
import dev.skiff.control.controller.Times;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatusBuilder;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Upstream's {@code trySync} for one PodDisruptionBudget as a pure function of the budget, the pods it selects,
 * the workloads' scales and the time: the status to write and when to look again.
 *
 * <ul>
 *   <li>{@code maxUnavailable} (int or percentage): expected = the summed scale of the pods' controllers,
 *       desired healthy = expected - maxUnavailable (percentages rounded up), at least 0;</li>
 *   <li>{@code minAvailable} as an int: desired = that number, expected = the number of selected pods;</li>
 *   <li>{@code minAvailable} as a percentage: expected = summed scale, desired = the percentage of it rounded up;</li>
 *   <li>healthy = selected pods that are Ready, not being deleted and not recorded in {@code disruptedPods} by an
 *       eviction in the last two minutes (upstream's {@code DeletionTimeout}); older entries are dropped;</li>
 *   <li>disruptionsAllowed = healthy - desired, 0 if negative or if nothing is expected; the condition
 *       {@code DisruptionAllowed} is True/SufficientPods when positive, else False/InsufficientPods.</li>
 * </ul>
 * A selected pod without a controller cannot be counted towards a scale: it is reported as unmanaged (upstream's
 * event) and left out. A controller that cannot be found is a {@link SyncFailed}, after which upstream's fail-safe
 * status allows no disruption ({@link #failSafe}).
 */
public final class BudgetStatus {

    /** Upstream's {@code DeletionTimeout}: how long an eviction's pod is expected to take to disappear. */
    public static final Duration DELETION_TIMEOUT = Duration.ofMinutes(2);
    static final String CONDITION = "DisruptionAllowed";

    private BudgetStatus() {
    }

    /**
     * The outcome of a sync.
     *
     * @param status    the status the budget should have
     * @param recheckAt when a recorded disruption expires (the budget must be synced again then), or null
     * @param unmanaged names of selected pods without a controller, when the spec needed their scale
     */
    public record Result(PodDisruptionBudgetStatus status, Instant recheckAt, List<String> unmanaged) {
    }

    /** The budget's expected pods could not be determined (upstream fails safe on it). */
    public static final class SyncFailed extends Exception {
        public SyncFailed(String message) {
            super(message);
        }
    }

    public static Result compute(PodDisruptionBudget pdb, List<Pod> pods, ScaleFinder scales, Instant now)
            throws SyncFailed {
        List<String> unmanaged = new ArrayList<>();
        IntOrString maxUnavailable = pdb.getSpec() == null ? null : pdb.getSpec().getMaxUnavailable();
        IntOrString minAvailable = pdb.getSpec() == null ? null : pdb.getSpec().getMinAvailable();
        int expected = 0;
        int desired = 0;
        if (maxUnavailable != null) {
            expected = expectedScale(pods, scales, unmanaged);
            desired = Math.max(0, expected - scaled(maxUnavailable, expected));
        } else if (minAvailable != null) {
            if (minAvailable.getIntVal() != null) {
                desired = minAvailable.getIntVal();
                expected = pods.size();
            } else {
                expected = expectedScale(pods, scales, unmanaged);
                desired = scaled(minAvailable, expected);
            }
        }
        Map<String, String> disrupted = new TreeMap<>();
        Instant recheck = null;
        Map<String, String> recorded = pdb.getStatus() == null || pdb.getStatus().getDisruptedPods() == null
                ? Map.of() : pdb.getStatus().getDisruptedPods();
        for (Pod pod : pods) {
            String at = recorded.get(pod.getMetadata().getName());
            if (at == null || pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            Instant when = Times.parse(at);
            Instant expectedDeletion = when == null ? now : when.plus(DELETION_TIMEOUT);
            if (expectedDeletion.isBefore(now)) {
                continue; // the eviction never turned into a deletion: count the pod again
            }
            disrupted.put(pod.getMetadata().getName(), at);
            if (recheck == null || expectedDeletion.isBefore(recheck)) {
                recheck = expectedDeletion;
            }
        }
        int healthy = 0;
        for (Pod pod : pods) {
            if (pod.getMetadata().getDeletionTimestamp() == null && !disrupted.containsKey(pod.getMetadata().getName())
                    && Pods.isReady(pod)) {
                healthy++;
            }
        }
        int allowed = healthy - desired;
        if (expected <= 0 || allowed <= 0) {
            allowed = 0;
        }
        long generation = pdb.getMetadata().getGeneration() == null ? 0 : pdb.getMetadata().getGeneration();
        PodDisruptionBudgetStatus status = new PodDisruptionBudgetStatusBuilder()
                .withCurrentHealthy(healthy).withDesiredHealthy(desired).withExpectedPods(expected)
                .withDisruptionsAllowed(allowed).withDisruptedPods(disrupted.isEmpty() ? null : disrupted)
                .withObservedGeneration(generation)
                .withConditions(withCondition(pdb, allowed > 0 ? "True" : "False",
                        allowed > 0 ? "SufficientPods" : "InsufficientPods", "", generation, now))
                .build();
        return new Result(status, recheck, List.copyOf(unmanaged));
    }

    /** Upstream's {@code failSafe}: no disruption allowed, condition False/SyncFailed with the error. */
    public static PodDisruptionBudgetStatus failSafe(PodDisruptionBudget pdb, String error, Instant now) {
        PodDisruptionBudgetStatus current = pdb.getStatus() == null ? new PodDisruptionBudgetStatus()
                : pdb.getStatus();
        long observed = current.getObservedGeneration() == null ? 0 : current.getObservedGeneration();
        return new PodDisruptionBudgetStatusBuilder(current).withDisruptionsAllowed(0)
                .withConditions(withCondition(pdb, "False", "SyncFailed", error, observed, now)).build();
    }

    /**
     * Whether two statuses say the same (upstream's comparison before writing): the counts, the generation, the
     * disrupted pods and the conditions' type/status/reason/message. Absent and empty are the same, so a status
     * read back from the server equals the one written and no write loop arises.
     */
    public static boolean same(PodDisruptionBudgetStatus a, PodDisruptionBudgetStatus b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Objects.equals(a.getCurrentHealthy(), b.getCurrentHealthy())
                && Objects.equals(a.getDesiredHealthy(), b.getDesiredHealthy())
                && Objects.equals(a.getExpectedPods(), b.getExpectedPods())
                && Objects.equals(a.getDisruptionsAllowed(), b.getDisruptionsAllowed())
                && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
                && orEmpty(a.getDisruptedPods()).equals(orEmpty(b.getDisruptedPods()))
                && conditionsOf(a).equals(conditionsOf(b));
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    private static List<List<String>> conditionsOf(PodDisruptionBudgetStatus status) {
        if (status.getConditions() == null) {
            return List.of();
        }
        return status.getConditions().stream().map(c -> java.util.Arrays.asList(c.getType(), c.getStatus(),
                c.getReason(), c.getMessage() == null ? "" : c.getMessage())).toList();
    }

    /** The sum of the scales of the pods' distinct controllers (upstream's {@code getExpectedScale}). */
    private static int expectedScale(List<Pod> pods, ScaleFinder scales, List<String> unmanaged) throws SyncFailed {
        Map<String, Integer> byController = new HashMap<>();
        Map<String, String> resolvedRefs = new HashMap<>();
        for (Pod pod : pods) {
            OwnerReference ref = Keys.controllerOf(pod);
            if (ref == null) {
                unmanaged.add(pod.getMetadata().getName());
                continue;
            }
            if (resolvedRefs.containsKey(ref.getUid())) {
                continue;
            }
            ControllerScale scale = scales.find(ref, pod.getMetadata().getNamespace());
            if (scale == null) {
                throw new SyncFailed("found no controllers for pod \"" + pod.getMetadata().getName() + "\"");
            }
            resolvedRefs.put(ref.getUid(), scale.uid());
            byController.put(scale.uid(), scale.replicas());
        }
        return byController.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Upstream's {@code GetScaledValueFromIntOrPercent} with rounding up. */
    static int scaled(IntOrString value, int total) throws SyncFailed {
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value.getStrVal() == null ? "" : value.getStrVal();
        if (!text.endsWith("%")) {
            throw new SyncFailed("invalid value for IntOrString: invalid type: string is not a percentage");
        }
        int percent;
        try {
            percent = Integer.parseInt(text.substring(0, text.length() - 1));
        } catch (NumberFormatException e) {
            throw new SyncFailed("invalid value \"" + text + "\": " + e.getMessage());
        }
        return (int) Math.ceil(percent * (double) total / 100);
    }

    /** The budget's conditions with DisruptionAllowed set as {@code apimeta.SetStatusCondition} does. */
    private static List<Condition> withCondition(PodDisruptionBudget pdb, String status, String reason,
                                                 String message, long observedGeneration, Instant now) {
        List<Condition> conditions = new ArrayList<>();
        Condition existing = null;
        if (pdb.getStatus() != null && pdb.getStatus().getConditions() != null) {
            for (Condition c : pdb.getStatus().getConditions()) {
                if (CONDITION.equals(c.getType())) {
                    existing = c;
                } else {
                    conditions.add(c);
                }
            }
        }
        // The transition time moves only when the status flips.
        String since = existing != null && Objects.equals(existing.getStatus(), status)
                && existing.getLastTransitionTime() != null ? existing.getLastTransitionTime() : Times.format(now);
        conditions.add(new ConditionBuilder().withType(CONDITION).withStatus(status).withReason(reason)
                .withMessage(message).withObservedGeneration(observedGeneration).withLastTransitionTime(since)
                .build());
        return conditions;
    }
}
