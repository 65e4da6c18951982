package dev.skiff.apiserver.crd.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Structural defaulting (apiextensions' {@code structuraldefaulting}): an absent field, or a null one whose schema
 * is not nullable, takes its schema's {@code default}; defaulted values are themselves defaulted further down.
 * Applied to request bodies after pruning and to objects read from storage, so a default added to a CRD shows up on
 * existing objects. Also removes, first, non-nullable nulls that have no default (upstream's
 * {@code PruneNonNullableNullsWithoutDefaults}) so that they do not fail validation. Mutates in place.
 */
public final class Defaulter {

    private Defaulter() {
    }

    /** Removes non-nullable null fields without a default, then applies defaults. */
    public static void apply(JsonNode value, Schema schema) {
        dropNulls(value, schema);
        defaults(value, schema);
    }

    private static void defaults(JsonNode value, Schema schema) {
        if (schema == null) {
            return;
        }
        if (value instanceof ObjectNode object) {
            for (Map.Entry<String, Schema> property : schema.properties().entrySet()) {
                Schema s = property.getValue();
                if (s == null || s.defaultValue() == null) {
                    continue;
                }
                JsonNode current = object.get(property.getKey());
                if (current == null || nonNullableNull(current, s)) {
                    object.set(property.getKey(), s.defaultValue().deepCopy());
                }
            }
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                Schema property = schema.properties().get(name);
                if (property != null) {
                    defaults(object.get(name), property);
                } else if (schema.additionalProperties() != null) {
                    Schema additional = schema.additionalProperties();
                    if (nonNullableNull(object.get(name), additional) && additional.defaultValue() != null) {
                        object.set(name, additional.defaultValue().deepCopy());
                    }
                    defaults(object.get(name), additional);
                }
            }
        } else if (value instanceof ArrayNode array && schema.items() != null) {
            Schema items = schema.items();
            for (int i = 0; i < array.size(); i++) {
                if (nonNullableNull(array.get(i), items) && items.defaultValue() != null) {
                    array.set(i, items.defaultValue().deepCopy());
                }
                defaults(array.get(i), items);
            }
        }
    }

    private static void dropNulls(JsonNode value, Schema schema) {
        if (schema == null) {
            return;
        }
        if (value instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                Schema s = schema.field(field.getKey());
                if (s == null) {
                    continue;
                }
                if (nonNullableNull(field.getValue(), s) && s.defaultValue() == null) {
                    it.remove();
                } else {
                    dropNulls(field.getValue(), s);
                }
            }
        } else if (value instanceof ArrayNode array) {
            array.forEach(item -> dropNulls(item, schema.items()));
        }
    }

    private static boolean nonNullableNull(JsonNode value, Schema schema) {
        return value != null && value.isNull() && schema != null && !schema.nullable();
    }
}
