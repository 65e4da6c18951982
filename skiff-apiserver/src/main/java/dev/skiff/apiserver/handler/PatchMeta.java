package dev.skiff.apiserver.handler;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How strategic merge patch treats each list of the built-in kinds: merged by a key (e.g. containers by
 * {@code name}, container ports by {@code containerPort}, service ports by {@code port}), merged as a set of
 * primitives ({@code finalizers}), or replaced whole (the default). These are the {@code patchMergeKey} /
 * {@code patchStrategy} facts of the Kubernetes v1.32 API types.
 */
final class PatchMeta {

    /** How a list merges. */
    sealed interface ListStrategy permits ByKey, PrimitiveSet, Replace {
    }

    /** Elements are objects merged when their {@code key} field is equal. */
    record ByKey(String key) implements ListStrategy {
    }

    /** Elements are primitives; the result is the union. */
    record PrimitiveSet() implements ListStrategy {
    }

    /** The patch's list replaces the original. */
    record Replace() implements ListStrategy {
    }

    private static final Set<String> CONTAINER_LISTS = Set.of("containers", "initContainers", "ephemeralContainers");

    private static final Map<String, String> KEYED = Map.ofEntries(
            Map.entry("containers", "name"),
            Map.entry("initContainers", "name"),
            Map.entry("ephemeralContainers", "name"),
            Map.entry("volumes", "name"),
            Map.entry("imagePullSecrets", "name"),
            Map.entry("env", "name"),
            Map.entry("volumeMounts", "mountPath"),
            Map.entry("volumeDevices", "devicePath"),
            Map.entry("hostAliases", "ip"),
            Map.entry("topologySpreadConstraints", "topologyKey"),
            Map.entry("resizePolicy", "resourceName"),
            Map.entry("resourceClaims", "name"),
            Map.entry("schedulingGates", "name"),
            Map.entry("conditions", "type"),
            Map.entry("ownerReferences", "uid"),
            Map.entry("addresses", "type"),
            Map.entry("secrets", "name"));

    private static final Set<String> PRIMITIVE_SETS = Set.of("finalizers", "podCIDRs");

    private PatchMeta() {
    }

    /**
     * The strategy for list field {@code field} of {@code kind}, given the names of the fields above it
     * ({@code path}, outermost first, list fields included once per level).
     */
    static ListStrategy forList(String kind, List<String> path, String field) {
        if (field.equals("ports")) {
            for (int i = path.size() - 1; i >= 0; i--) {
                if (CONTAINER_LISTS.contains(path.get(i))) {
                    return new ByKey("containerPort");
                }
            }
            if (kind.equals("Service") && path.equals(List.of("spec"))) {
                return new ByKey("port");
            }
            return new Replace();
        }
        if (field.equals("secrets") && !kind.equals("ServiceAccount")) {
            return new Replace();
        }
        if (field.equals("addresses") && !kind.equals("Node")) {
            return new Replace();
        }
        if (field.equals("finalizers") && !path.equals(List.of("metadata"))) {
            return new Replace();
        }
        String key = KEYED.get(field);
        if (key != null) {
            return new ByKey(key);
        }
        if (PRIMITIVE_SETS.contains(field)) {
            return new PrimitiveSet();
        }
        return new Replace();
    }
}
