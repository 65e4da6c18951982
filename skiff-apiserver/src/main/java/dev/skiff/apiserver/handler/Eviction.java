package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.selection.LabelSelector;
import dev.skiff.apiserver.selection.Selection;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.status.Status;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code pods/eviction}, as upstream's {@code EvictionREST.Create}: a delete that a PodDisruptionBudget may refuse.
 *
 * <ul>
 *   <li>Pods that already caused their disruption (Succeeded, Failed, Pending, or being deleted) are deleted
 *       without consulting budgets.</li>
 *   <li>More than one budget selecting the pod is a 500 (upstream does not support it); none means delete.</li>
 *   <li>A not-ready pod is deleted without spending the budget when the budget is healthy
 *       ({@code unhealthyPodEvictionPolicy: IfHealthyBudget}, the default) or always ({@code AlwaysAllow}), with
 *       the pod's resourceVersion as precondition so a pod that became ready meanwhile is not taken.</li>
 *   <li>Otherwise the budget must have observed its generation (else 429 "still being processed") and allow a
 *       disruption (else 429 naming the healthy pods it needs); a negative allowance is 403. The eviction then
 *       decrements {@code status.disruptionsAllowed}, records the pod in {@code status.disruptedPods} (so the
 *       disruption controller stops counting it) and writes the budget in one compare-and-swap: concurrent
 *       evictions can never overspend.</li>
 *   <li>The deleted pod first gets the condition {@code DisruptionTarget=True, reason EvictionByEvictionAPI}.</li>
 * </ul>
 * {@code deleteOptions.dryRun} checks everything and writes nothing. Stateless apart from the store.
 */
final class Eviction {

    /** Upstream's {@code MaxDisruptedPodSize}: a budget whose map grew past this refuses more evictions. */
    static final int MAX_DISRUPTED_PODS = 2000;
    static final String MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";

    private final ObjectStore store;
    private final Clock clock;
    private final ResourceType pods;
    private final ResourceType budgets;
    private final TypeStrategies strategies;

    Eviction(ObjectStore store, Clock clock, ResourceType pods, ResourceType budgets, TypeStrategies strategies) {
        this.store = store;
        this.clock = clock;
        this.pods = pods;
        this.budgets = budgets;
        this.strategies = strategies;
    }

    /** Evicts the pod or throws the API error that refuses it. */
    void evict(String namespace, String name, ObjectNode eviction) {
        JsonNode options = eviction.path("deleteOptions");
        boolean dryRun = options.path("dryRun").isArray() && !options.path("dryRun").isEmpty();
        String uid = options.path("preconditions").path("uid").asText("");
        String resourceVersion = options.path("preconditions").path("resourceVersion").asText("");
        Long grace = options.path("gracePeriodSeconds").canConvertToLong()
                ? options.path("gracePeriodSeconds").asLong() : null;

        ObjectNode pod = store.get(pods, namespace, name);
        if (!canIgnoreBudgets(pod)) {
            List<ObjectNode> matching = budgetsSelecting(namespace, pod);
            if (matching.size() > 1) {
                throw ApiException.internal("This pod has more than one PodDisruptionBudget, which the eviction "
                        + "subresource does not support.");
            }
            if (matching.size() == 1) {
                ObjectNode budget = matching.getFirst();
                if (!isReady(pod) && unhealthyMayGo(budget)) {
                    // The pod does not count as healthy, so the budget is not spent; guard against it turning
                    // ready before the delete lands.
                    if (resourceVersion.isEmpty()) {
                        resourceVersion = pod.path("metadata").path("resourceVersion").asText("");
                    }
                } else {
                    spend(namespace, budget.path("metadata").path("name").asText(), name, dryRun);
                }
            }
        }
        if (dryRun) {
            return;
        }
        deleteWithCondition(namespace, name, uid, resourceVersion, grace);
    }

    /** Upstream's {@code canIgnorePDB}: the pod is terminal, not yet running, or already going. */
    static boolean canIgnoreBudgets(ObjectNode pod) {
        String phase = pod.path("status").path("phase").asText("");
        return phase.equals("Succeeded") || phase.equals("Failed") || phase.equals("Pending")
                || pod.path("metadata").hasNonNull("deletionTimestamp");
    }

    /** Budgets of the namespace whose selector matches the pod (v1: an empty selector matches every pod). */
    private List<ObjectNode> budgetsSelecting(String namespace, ObjectNode pod) {
        Map<String, String> labels = Selection.labelsOf(pod);
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode budget : store.list(budgets, namespace, 0, null, 0, o -> true).items()) {
            JsonNode selector = budget.path("spec").path("selector");
            if (selector.isMissingNode() || selector.isNull()) {
                continue; // a nil selector selects nothing
            }
            String expression = Subresources.selectorString(selector);
            if (expression.isEmpty() || LabelSelector.parse(expression).matches(labels)) {
                matching.add(budget);
            }
        }
        return matching;
    }

    private static boolean unhealthyMayGo(ObjectNode budget) {
        if (budget.path("spec").path("unhealthyPodEvictionPolicy").asText("").equals("AlwaysAllow")) {
            return true;
        }
        JsonNode status = budget.path("status");
        int desired = status.path("desiredHealthy").asInt(0);
        return status.path("currentHealthy").asInt(0) >= desired && desired > 0;
    }

    /** Upstream's {@code checkAndDecrement}, as one compare-and-swap on the budget. */
    private void spend(String namespace, String budgetName, String podName, boolean dryRun) {
        store.update(budgets, namespace, budgetName, 0, budget -> {
            JsonNode status = budget.path("status");
            long generation = budget.path("metadata").path("generation").asLong(1);
            if (status.path("observedGeneration").asLong(0) < generation) {
                throw tooManyRequests("The disruption budget " + budgetName
                        + " is still being processed by the server.");
            }
            int allowed = status.path("disruptionsAllowed").asInt(0);
            if (allowed < 0) {
                throw ApiException.forbidden("policy", "poddisruptionbudget", budgetName,
                        "pdb disruptions allowed is negative");
            }
            if (status.path("disruptedPods").size() > MAX_DISRUPTED_PODS) {
                throw ApiException.forbidden("policy", "poddisruptionbudget", budgetName,
                        "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
            }
            if (allowed == 0) {
                throw tooManyRequests("The disruption budget " + budgetName + " needs "
                        + status.path("desiredHealthy").asInt(0) + " healthy pods and has "
                        + status.path("currentHealthy").asInt(0) + " currently");
            }
            if (dryRun) {
                return budget;
            }
            ObjectNode next = budget.withObjectProperty("status");
            next.put("disruptionsAllowed", allowed - 1);
            if (allowed - 1 == 0) {
                setDisruptionAllowedFalse(next, budget.path("metadata").path("generation").asLong(1));
            }
            next.withObjectProperty("disruptedPods").put(podName, now());
            return budget;
        });
    }

    /** Upstream's {@code UpdateDisruptionAllowedCondition} for an allowance that just reached zero. */
    private void setDisruptionAllowedFalse(ObjectNode status, long generation) {
        ArrayNode conditions = status.withArrayProperty("conditions");
        for (JsonNode condition : conditions) {
            if (condition.path("type").asText().equals("DisruptionAllowed")) {
                ObjectNode c = (ObjectNode) condition;
                if (!c.path("status").asText().equals("False")) {
                    c.put("lastTransitionTime", now());
                }
                c.put("status", "False").put("reason", "InsufficientPods");
                return;
            }
        }
        conditions.addObject().put("type", "DisruptionAllowed").put("status", "False")
                .put("reason", "InsufficientPods").put("message", "").put("observedGeneration", generation)
                .put("lastTransitionTime", now());
    }

    /** Upstream's {@code addConditionAndDeletePod}: mark the pod as a disruption target, then delete it. */
    private void deleteWithCondition(String namespace, String name, String uid, String resourceVersion, Long grace) {
        ObjectNode updated = store.update(pods, namespace, name, 0, current -> {
            if (!uid.isEmpty() && !uid.equals(current.path("metadata").path("uid").asText())) {
                throw ApiException.conflict("", "pods", name, "Precondition failed: UID in precondition: " + uid
                        + ", UID in object meta: " + current.path("metadata").path("uid").asText());
            }
            String currentVersion = current.path("metadata").path("resourceVersion").asText("");
            if (!resourceVersion.isEmpty() && !resourceVersion.equals(currentVersion)) {
                throw ApiException.conflict("", "pods", name, "Precondition failed: ResourceVersion in "
                        + "precondition: " + resourceVersion + ", ResourceVersion in object meta: " + currentVersion);
            }
            setDisruptionTarget(current.withObjectProperty("status"));
            return current;
        });
        // The condition write is ours: a resourceVersion precondition now refers to the updated pod.
        long revision = resourceVersion.isEmpty() ? 0
                : Long.parseLong(updated.path("metadata").path("resourceVersion").asText("0"));
        store.delete(pods, namespace, name, uid.isEmpty() ? null : uid, revision,
                strategies.forType(pods).deletionPolicy(), grace);
    }

    private void setDisruptionTarget(ObjectNode status) {
        ArrayNode conditions = status.withArrayProperty("conditions");
        for (JsonNode condition : conditions) {
            if (condition.path("type").asText().equals("DisruptionTarget")) {
                ObjectNode c = (ObjectNode) condition;
                if (!c.path("status").asText().equals("True")) {
                    c.put("lastTransitionTime", now());
                }
                c.put("status", "True").put("reason", "EvictionByEvictionAPI")
                        .put("message", "Eviction API: evicting");
                return;
            }
        }
        conditions.addObject().put("type", "DisruptionTarget").put("status", "True").putNull("lastProbeTime")
                .put("lastTransitionTime", now()).put("reason", "EvictionByEvictionAPI")
                .put("message", "Eviction API: evicting");
    }

    private static boolean isReady(ObjectNode pod) {
        for (JsonNode condition : pod.path("status").path("conditions")) {
            if (condition.path("type").asText().equals("Ready")) {
                return condition.path("status").asText().equals("True");
            }
        }
        return false;
    }

    /** Upstream's {@code NewTooManyRequests(message, 0)} with a {@code DisruptionBudget} cause. */
    private static ApiException tooManyRequests(String cause) {
        return new ApiException(new Status("Failure", MESSAGE, "TooManyRequests",
                new Status.Details(null, null, null, null,
                        List.of(new Status.Cause("DisruptionBudget", cause, null)), null), 429));
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
