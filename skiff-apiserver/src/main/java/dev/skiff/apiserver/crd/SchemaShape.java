package dev.skiff.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.apiserver.apply.ListKind;
import dev.skiff.apiserver.apply.ObjectMetaShape;
import dev.skiff.apiserver.apply.Shape;
import dev.skiff.apiserver.crd.schema.Schema;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server-side apply {@link Shape} of a custom resource, from its structural schema as apiextensions builds the
 * type converter: {@code x-kubernetes-list-type} {@code set} and {@code map} (keyed by
 * {@code x-kubernetes-list-map-keys}, with the key fields' schema defaults), atomic lists otherwise; where the
 * schema says nothing (no schema, preserved unknown fields), lists are atomic and objects granular. The top-level
 * {@code metadata} is ObjectMeta. Immutable.
 */
final class SchemaShape implements Shape {

    private final Schema schema;
    private final boolean root;

    private SchemaShape(Schema schema, boolean root) {
        this.schema = schema;
        this.root = root;
    }

    /** The shape of a whole custom resource with this schema (null: none). */
    static Shape of(Schema schema) {
        return new SchemaShape(schema, true);
    }

    private static Shape below(Schema schema) {
        return schema == null ? Shape.DEFAULT : new SchemaShape(schema, false);
    }

    @Override
    public Shape field(String name) {
        if (root && name.equals("metadata")) {
            return ObjectMetaShape.INSTANCE;
        }
        return schema == null ? Shape.DEFAULT : below(schema.field(name));
    }

    @Override
    public Shape items() {
        return schema == null ? Shape.DEFAULT : below(schema.items());
    }

    @Override
    public ListKind list() {
        if (schema == null) {
            return ListKind.ATOMIC;
        }
        return switch (schema.extensions().listType()) {
            case "set" -> ListKind.SET;
            case "map" -> {
                Map<String, JsonNode> defaults = new LinkedHashMap<>();
                Schema items = schema.items();
                for (String key : schema.extensions().listMapKeys()) {
                    Schema keySchema = items == null ? null : items.properties().get(key);
                    if (keySchema != null && keySchema.defaultValue() != null) {
                        defaults.put(key, keySchema.defaultValue());
                    }
                }
                yield new ListKind.Map(schema.extensions().listMapKeys(), defaults);
            }
            default -> ListKind.ATOMIC;
        };
    }

    @Override
    public boolean atomicObject() {
        return false;
    }
}
