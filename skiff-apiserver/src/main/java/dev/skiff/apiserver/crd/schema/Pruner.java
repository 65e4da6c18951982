package dev.skiff.apiserver.crd.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drops the fields a structural schema does not specify, as apiextensions' pruning does on every decode of a custom
 * resource (request bodies and storage reads): object fields that are neither properties nor covered by
 * {@code additionalProperties} go, unless {@code x-kubernetes-preserve-unknown-fields} keeps them; apiVersion, kind
 * and metadata of the resource root and of embedded resources are never pruned. Returns the dropped fields' paths
 * ({@code spec.foo}, {@code spec.list[0].bar}) sorted, which is what {@code fieldValidation} reports. Mutates in
 * place; not thread-safe on one tree.
 */
public final class Pruner {

    private static final Set<String> META_FIELDS = Set.of("apiVersion", "kind", "metadata");

    private Pruner() {
    }

    /** Prunes a whole custom resource (its root is a resource: type and object meta stay). */
    public static List<String> pruneResource(ObjectNode object, Schema schema) {
        List<String> pruned = new ArrayList<>();
        pruneObject(object, schema, "", true, pruned);
        Collections.sort(pruned);
        return pruned;
    }

    /** Prunes a value that is not a resource root (e.g. a default), with {@code schema} as its own schema. */
    public static List<String> prune(JsonNode value, Schema schema) {
        List<String> pruned = new ArrayList<>();
        prune(value, schema, "", pruned);
        Collections.sort(pruned);
        return pruned;
    }

    private static void prune(JsonNode value, Schema schema, String path, List<String> pruned) {
        boolean resource = schema != null && schema.extensions().embeddedResource();
        if (schema != null && schema.extensions().preserveUnknownFields()) {
            skipPrune(value, schema, path, resource, pruned);
        } else if (value instanceof ObjectNode object) {
            pruneObject(object, schema, path, resource, pruned);
        } else if (value instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                prune(array.get(i), schema == null ? null : schema.items(), FieldPath.index(path, i), pruned);
            }
        }
    }

    /** Under x-kubernetes-preserve-unknown-fields: unknown fields stay, known ones are still pruned inside. */
    private static void skipPrune(JsonNode value, Schema schema, String path, boolean resource, List<String> pruned) {
        if (schema == null) {
            return;
        }
        if (value instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (resource && META_FIELDS.contains(field.getKey())) {
                    continue;
                }
                String child = FieldPath.child(path, field.getKey());
                Schema property = schema.properties().get(field.getKey());
                if (property != null) {
                    prune(field.getValue(), property, child, pruned);
                } else if (schema.additionalPropertiesAllowed()) {
                    prune(field.getValue(), schema.additionalProperties(), child, pruned);
                }
            }
        } else if (value instanceof ArrayNode array && schema.items() != null) {
            Schema items = schema.items();
            for (int i = 0; i < array.size(); i++) {
                skipPrune(array.get(i), items, FieldPath.index(path, i), items.extensions().embeddedResource(),
                        pruned);
            }
        }
    }

    private static void pruneObject(ObjectNode object, Schema schema, String path, boolean resource,
            List<String> pruned) {
        if (schema != null && schema.extensions().preserveUnknownFields()) {
            skipPrune(object, schema, path, resource, pruned);
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            if (resource && META_FIELDS.contains(name)) {
                continue;
            }
            String child = FieldPath.child(path, name);
            Schema property = schema == null ? null : schema.properties().get(name);
            if (property != null) {
                prune(field.getValue(), property, child, pruned);
            } else if (schema != null && schema.additionalPropertiesAllowed()) {
                // additionalProperties: true has no schema: objects under it are emptied, as upstream does.
                prune(field.getValue(), schema.additionalProperties(), child, pruned);
            } else {
                pruned.add(child);
                it.remove();
            }
        }
    }
}
