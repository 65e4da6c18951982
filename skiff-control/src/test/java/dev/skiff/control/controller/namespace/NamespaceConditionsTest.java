package dev.skiff.control.controller.namespace;

import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceConditionBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The namespace deletion conditions over successive passes, with explicit instants. */
class NamespaceConditionsTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(5);
    private static final Instant T2 = T0.plusSeconds(10);

    private static ContentResult result(List<String> discovery, List<String> delete, Map<String, Integer> remaining,
                                        Map<String, Integer> finalizers) {
        return new ContentResult(discovery, delete, new TreeMap<>(remaining), new TreeMap<>(finalizers),
                Duration.ZERO);
    }

    private static String render(List<NamespaceCondition> conditions) {
        StringBuilder out = new StringBuilder();
        for (NamespaceCondition c : conditions) {
            out.append(c.getType()).append(' ').append(c.getStatus()).append(' ').append(c.getReason()).append(" @")
                    .append(c.getLastTransitionTime()).append(": ").append(c.getMessage()).append('\n');
        }
        return out.toString();
    }

    @Test
    void conditionsFollowTheDeletionPasses() {
        NamespaceCondition foreign = new NamespaceConditionBuilder().withType("SomethingElse").withStatus("True")
                .build();
        ContentResult podsLeft = result(List.of(), List.of(), Map.of("pods.", 2, "widgets.example.com", 1),
                Map.of("example.com/keep", 1));

        NamespaceConditions.Update first = NamespaceConditions.apply(List.of(foreign), podsLeft, T0);
        assertThat(first.changed()).isTrue();
        assertThat(render(first.conditions())).isEqualTo("""
                SomethingElse True null @null: null
                NamespaceDeletionDiscoveryFailure False ResourcesDiscovered @2025-01-01T00:00:00Z: All resources \
                successfully discovered
                NamespaceDeletionGroupVersionParsingFailure False ParsedGroupVersions @2025-01-01T00:00:00Z: All \
                legacy kube types successfully parsed
                NamespaceDeletionContentFailure False ContentDeleted @2025-01-01T00:00:00Z: All content successfully \
                deleted, may be waiting on finalization
                NamespaceContentRemaining True SomeResourcesRemain @2025-01-01T00:00:00Z: Some resources are \
                remaining: pods. has 2 resource instances, widgets.example.com has 1 resource instances
                NamespaceFinalizersRemaining True SomeFinalizersRemain @2025-01-01T00:00:00Z: Some content in the \
                namespace has finalizers remaining: example.com/keep in 1 resource instances
                """);

        NamespaceConditions.Update same = NamespaceConditions.apply(first.conditions(), podsLeft, T1);
        assertThat(same.changed()).as("an identical pass writes nothing").isFalse();

        ContentResult fewer = result(List.of(), List.of(), Map.of("pods.", 1), Map.of());
        NamespaceConditions.Update second = NamespaceConditions.apply(first.conditions(), fewer, T1);
        assertThat(second.changed()).isTrue();
        assertThat(render(second.conditions())).contains(
                // the message changed but not the status: the transition time stays
                "NamespaceContentRemaining True SomeResourcesRemain @2025-01-01T00:00:00Z: Some resources are "
                        + "remaining: pods. has 1 resource instances\n",
                "NamespaceFinalizersRemaining False ContentHasNoFinalizers @2025-01-01T00:00:05Z: All "
                        + "content-preserving finalizers finished\n");

        ContentResult failing = result(List.of("metrics.example.com/v1: the server is unavailable"),
                List.of("widgets.example.com: deletecollection widgets.example.com: boom"), Map.of(), Map.of());
        NamespaceConditions.Update third = NamespaceConditions.apply(second.conditions(), failing, T2);
        assertThat(render(third.conditions())).contains(
                "NamespaceDeletionDiscoveryFailure True DiscoveryFailed @2025-01-01T00:00:10Z: Discovery failed for "
                        + "some groups, 1 failing: unable to retrieve the complete list of server APIs: "
                        + "metrics.example.com/v1: the server is unavailable\n",
                "NamespaceDeletionContentFailure True ContentDeletionFailed @2025-01-01T00:00:10Z: Failed to delete "
                        + "all resource types, 1 remaining: widgets.example.com: deletecollection "
                        + "widgets.example.com: boom\n",
                "NamespaceContentRemaining False ContentRemoved @2025-01-01T00:00:10Z: All content successfully "
                        + "removed\n");
        assertThat(failing.done()).isFalse();
        assertThat(result(List.of(), List.of(), Map.of(), Map.of()).done()).isTrue();
    }
}
