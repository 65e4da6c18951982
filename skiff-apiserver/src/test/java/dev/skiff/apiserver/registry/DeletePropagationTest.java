package dev.skiff.apiserver.registry;

import static dev.skiff.apiserver.registry.GarbageCollectionPolicy.DELETE_DEPENDENTS;
import static dev.skiff.apiserver.registry.GarbageCollectionPolicy.ORPHAN_DEPENDENTS;
import static dev.skiff.apiserver.registry.GarbageCollectionPolicy.UNSUPPORTED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.resource.ResourceCatalog;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The garbage-collector finalizers a delete leaves, as upstream's deletionFinalizersForGarbageCollection. */
class DeletePropagationTest {

    private static final String O = DeletePropagation.ORPHAN_FINALIZER;
    private static final String F = DeletePropagation.FOREGROUND_FINALIZER;
    private static final String KEEP = "example.com/keep";

    static Stream<Arguments> cases() {
        return Stream.of(
                // policy, orphanDependents, default, existing finalizers, expected finalizers
                Arguments.of("Foreground", null, DELETE_DEPENDENTS, List.of(), List.of(F)),
                Arguments.of("Orphan", null, DELETE_DEPENDENTS, List.of(), List.of(O)),
                Arguments.of("Background", null, DELETE_DEPENDENTS, List.of(), List.of()),
                Arguments.of(null, null, DELETE_DEPENDENTS, List.of(), List.of()),
                // The resource's default applies only when neither the options nor the object say anything.
                Arguments.of(null, null, ORPHAN_DEPENDENTS, List.of(), List.of(O)),
                Arguments.of("Background", null, ORPHAN_DEPENDENTS, List.of(), List.of()),
                Arguments.of(null, null, ORPHAN_DEPENDENTS, List.of(F), List.of(F)),
                // Legacy orphanDependents.
                Arguments.of(null, true, DELETE_DEPENDENTS, List.of(), List.of(O)),
                Arguments.of(null, false, ORPHAN_DEPENDENTS, List.of(), List.of()),
                Arguments.of(null, false, DELETE_DEPENDENTS, List.of(F), List.of()),
                // A later request replaces the earlier choice; no options keep it.
                Arguments.of("Orphan", null, DELETE_DEPENDENTS, List.of(F), List.of(O)),
                Arguments.of("Foreground", null, DELETE_DEPENDENTS, List.of(O), List.of(F)),
                Arguments.of("Background", null, DELETE_DEPENDENTS, List.of(KEEP, F), List.of(KEEP)),
                Arguments.of(null, null, DELETE_DEPENDENTS, List.of(O), List.of(O)),
                // Other finalizers stay in their order, the garbage collector's is appended.
                Arguments.of("Foreground", null, DELETE_DEPENDENTS, List.of(KEEP), List.of(KEEP, F)),
                // Kinds outside garbage collection (events) never get one.
                Arguments.of("Foreground", null, UNSUPPORTED, List.of(), List.of()),
                Arguments.of("Orphan", null, UNSUPPORTED, List.of(KEEP), List.of(KEEP)));
    }

    @ParameterizedTest(name = "{0}/{1} default {2} on {3} -> {4}")
    @MethodSource("cases")
    void finalizersAfterTheDelete(String policy, Boolean orphan, GarbageCollectionPolicy defaults,
            List<String> existing, List<String> expected) {
        assertThat(new DeletePropagation(policy, orphan, defaults).finalizers(existing))
                .containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0} {1} {2} defaults to {3}")
    @MethodSource("defaults")
    void upstreamsPerResourceDefaults(String group, String version, String resource,
            GarbageCollectionPolicy expected) {
        assertThat(GarbageCollectionPolicy.defaultFor(ResourceCatalog.builtin().find(group, version, resource)
                .orElseThrow())).isEqualTo(expected);
    }

    static Stream<Arguments> defaults() {
        return Stream.of(
                Arguments.of("apps", "v1", "deployments", DELETE_DEPENDENTS),
                Arguments.of("apps", "v1", "replicasets", DELETE_DEPENDENTS),
                Arguments.of("", "v1", "configmaps", DELETE_DEPENDENTS),
                Arguments.of("", "v1", "replicationcontrollers", ORPHAN_DEPENDENTS),
                Arguments.of("batch", "v1", "jobs", ORPHAN_DEPENDENTS),
                Arguments.of("", "v1", "events", UNSUPPORTED),
                Arguments.of("events.k8s.io", "v1", "events", UNSUPPORTED));
    }
}
