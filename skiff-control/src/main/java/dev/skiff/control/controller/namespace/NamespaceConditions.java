package dev.skiff.control.controller.namespace;

import dev.skiff.control.controller.Times;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceConditionBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The status conditions upstream's namespace deleter maintains on a terminating namespace
 * ({@code pkg/controller/namespace/deletion/status_condition_utils.go}): each of the five types is True with a
 * failure reason while its problem lasts and False with the "ok" reason otherwise; lastTransitionTime changes only
 * when the status does; conditions of other types are kept. Pure.
 */
public final class NamespaceConditions {

    static final String DISCOVERY_FAILURE = "NamespaceDeletionDiscoveryFailure";
    static final String GROUP_VERSION_PARSING_FAILURE = "NamespaceDeletionGroupVersionParsingFailure";
    static final String CONTENT_FAILURE = "NamespaceDeletionContentFailure";
    static final String CONTENT_REMAINING = "NamespaceContentRemaining";
    static final String FINALIZERS_REMAINING = "NamespaceFinalizersRemaining";

    private record Ok(String reason, String message) {
    }

    /** Upstream's order, and each type's "ok" reason and message. */
    private static final Map<String, Ok> OK = new java.util.LinkedHashMap<>();

    static {
        OK.put(DISCOVERY_FAILURE, new Ok("ResourcesDiscovered", "All resources successfully discovered"));
        OK.put(GROUP_VERSION_PARSING_FAILURE, new Ok("ParsedGroupVersions",
                "All legacy kube types successfully parsed"));
        OK.put(CONTENT_FAILURE, new Ok("ContentDeleted",
                "All content successfully deleted, may be waiting on finalization"));
        OK.put(CONTENT_REMAINING, new Ok("ContentRemoved", "All content successfully removed"));
        OK.put(FINALIZERS_REMAINING, new Ok("ContentHasNoFinalizers", "All content-preserving finalizers finished"));
    }

    private NamespaceConditions() {
    }

    /** The new conditions and whether they differ from the old ones. */
    public record Update(List<NamespaceCondition> conditions, boolean changed) {
    }

    /** Applies one pass's result to the namespace's current conditions. */
    public static Update apply(List<NamespaceCondition> current, ContentResult result, Instant now) {
        Map<String, NamespaceCondition> failing = new java.util.HashMap<>();
        if (!result.discoveryFailures().isEmpty()) {
            failing.put(DISCOVERY_FAILURE, failed(DISCOVERY_FAILURE, "DiscoveryFailed",
                    "Discovery failed for some groups, " + result.discoveryFailures().size()
                            + " failing: unable to retrieve the complete list of server APIs: "
                            + String.join(", ", sorted(result.discoveryFailures())), now));
        }
        if (!result.deleteFailures().isEmpty()) {
            failing.put(CONTENT_FAILURE, failed(CONTENT_FAILURE, "ContentDeletionFailed",
                    "Failed to delete all resource types, " + result.deleteFailures().size() + " remaining: "
                            + String.join(", ", sorted(result.deleteFailures())), now));
        }
        if (!result.remainingByResource().isEmpty()) {
            failing.put(CONTENT_REMAINING, failed(CONTENT_REMAINING, "SomeResourcesRemain",
                    "Some resources are remaining: " + result.remainingByResource().entrySet().stream()
                            .map(e -> e.getKey() + " has " + e.getValue() + " resource instances")
                            .collect(Collectors.joining(", ")), now));
        }
        if (!result.remainingByFinalizer().isEmpty()) {
            failing.put(FINALIZERS_REMAINING, failed(FINALIZERS_REMAINING, "SomeFinalizersRemain",
                    "Some content in the namespace has finalizers remaining: "
                            + result.remainingByFinalizer().entrySet().stream()
                            .map(e -> e.getKey() + " in " + e.getValue() + " resource instances")
                            .collect(Collectors.joining(", ")), now));
        }
        List<NamespaceCondition> conditions = new ArrayList<>();
        if (current != null) {
            current.forEach(c -> conditions.add(new NamespaceConditionBuilder(c).build()));
        }
        boolean changed = false;
        for (Map.Entry<String, Ok> type : OK.entrySet()) {
            NamespaceCondition wanted = failing.getOrDefault(type.getKey(), new NamespaceConditionBuilder()
                    .withType(type.getKey()).withStatus("False").withReason(type.getValue().reason())
                    .withMessage(type.getValue().message()).withLastTransitionTime(Times.format(now)).build());
            NamespaceCondition existing = conditions.stream().filter(c -> type.getKey().equals(c.getType()))
                    .findFirst().orElse(null);
            if (existing == null) {
                conditions.add(wanted);
                changed = true;
            } else if (!Objects.equals(existing.getStatus(), wanted.getStatus())
                    || !Objects.equals(existing.getReason(), wanted.getReason())
                    || !Objects.equals(existing.getMessage(), wanted.getMessage())) {
                if (!Objects.equals(existing.getStatus(), wanted.getStatus())) {
                    existing.setLastTransitionTime(Times.format(now));
                }
                existing.setStatus(wanted.getStatus());
                existing.setReason(wanted.getReason());
                existing.setMessage(wanted.getMessage());
                changed = true;
            }
        }
        return new Update(conditions, changed);
    }

    private static NamespaceCondition failed(String type, String reason, String message, Instant now) {
        return new NamespaceConditionBuilder().withType(type).withStatus("True").withReason(reason)
                .withMessage(message).withLastTransitionTime(Times.format(now)).build();
    }

    private static List<String> sorted(List<String> values) {
        List<String> copy = new ArrayList<>(values);
        copy.sort(null);
        return copy;
    }
}
