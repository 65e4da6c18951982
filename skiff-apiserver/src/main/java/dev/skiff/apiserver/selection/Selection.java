package dev.skiff.apiserver.selection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.resource.ResourceType;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a list or watch selects: a label selector, a field selector and optionally one name. It can be evaluated on
 * a parsed object or on precomputed labels and fields (as the watch cache keeps them). Immutable.
 */
public record Selection(LabelSelector labels, FieldSelector fields, String name) implements Predicate<ObjectNode> {

    public static final Selection EVERYTHING = new Selection(LabelSelector.EVERYTHING, FieldSelector.EVERYTHING, null);

    public boolean matches(Map<String, String> objectLabels, Map<String, String> objectFields) {
        return (name == null || name.equals(objectFields.get("metadata.name")))
                && labels.matches(objectLabels)
                && fields.matches(objectFields::get);
    }

    @Override
    public boolean test(ObjectNode object) {
        return (name == null || name.equals(object.path("metadata").path("name").asText()))
                && labels.matches(labelsOf(object))
                && fields.matches(field -> SelectableFields.valueOf(object, field));
    }

    /** The object's labels. */
    public static Map<String, String> labelsOf(ObjectNode object) {
        JsonNode labels = object.path("metadata").path("labels");
        if (!labels.isObject() || labels.isEmpty()) {
            return Map.of();
        }
        Map<String, String> map = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            map.put(entry.getKey(), entry.getValue().asText());
        }
        return map;
    }

    /** The values of every field {@code type} lets clients select on. */
    public static Map<String, String> fieldsOf(ObjectNode object, ResourceType type) {
        Map<String, String> fields = new HashMap<>();
        for (String field : SelectableFields.of(type)) {
            fields.put(field, SelectableFields.valueOf(object, field));
        }
        return fields;
    }
}
