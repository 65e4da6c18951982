package dev.skiff.node.imagecache;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;

/** Typed reads of the untyped maps a custom resource arrives as. Pure; null-tolerant. */
final class StatusMaps {

    private StatusMaps() {
    }

    static Map<String, Object> status(GenericKubernetesResource resource) {
        return map(resource.getAdditionalProperties().get("status"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }

    static List<String> strings(Object value) {
        return list(value).stream().map(String::valueOf).toList();
    }

    static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
