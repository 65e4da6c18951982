package dev.skiff.apiserver.crd.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The uniqueness rules of {@code x-kubernetes-list-type} (apiextensions' listtype validation): in a {@code set} no
 * item appears twice, in a {@code map} no two items have the same {@code x-kubernetes-list-map-keys}; an
 * {@code atomic} list has no rule. Each repeat is a {@code Duplicate value} error at its index.
 */
final class ListTypes {

    private ListTypes() {
    }

    static void validate(JsonNode array, Schema schema, String path, List<FieldError> errors) {
        String listType = schema.extensions().listType();
        if (listType.equals("set")) {
            Set<JsonNode> seen = new HashSet<>();
            for (int i = 0; i < array.size(); i++) {
                if (!seen.add(array.get(i))) {
                    errors.add(FieldError.duplicate(FieldPath.index(path, i), array.get(i)));
                }
            }
        } else if (listType.equals("map")) {
            Set<JsonNode> seen = new HashSet<>();
            for (int i = 0; i < array.size(); i++) {
                JsonNode item = array.get(i);
                if (!item.isObject()) {
                    continue;
                }
                ObjectNode key = JsonNodeFactory.instance.objectNode();
                for (String name : schema.extensions().listMapKeys()) {
                    if (item.has(name)) {
                        key.set(name, item.get(name));
                    }
                }
                if (!seen.add(key)) {
                    errors.add(FieldError.duplicate(FieldPath.index(path, i), key));
                }
            }
        }
    }
}
