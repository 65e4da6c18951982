package dev.skiff.apiserver.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Finds (and optionally drops) the fields of a built-in object that its type does not declare, using the same
 * schema tables as the protobuf decoder: what kube-apiserver's strict decoding reports for
 * {@code fieldValidation=Strict} and silently drops otherwise. Paths read like upstream's
 * ({@code spec.template.spec.containers[0].imagee}). Stateless and thread-safe.
 */
public final class KnownFields {

    private KnownFields() {
    }

    /** Whether the schema knows {@code apiVersion}/{@code kind} (custom resources are checked elsewhere). */
    public static boolean knows(String apiVersion, String kind) {
        return KubernetesProtobuf.schema().kind(apiVersion, kind) != null;
    }

    /**
     * The undeclared fields of {@code object}, in document order; with {@code drop} they are removed from it.
     * Empty when the kind is unknown to the schema.
     */
    public static List<String> unknownFields(String apiVersion, String kind, ObjectNode object, boolean drop) {
        Schema schema = KubernetesProtobuf.schema();
        Schema.MessageType type = schema.kind(apiVersion, kind);
        List<String> unknown = new ArrayList<>();
        if (type == null) {
            return unknown;
        }
        walkObject(schema, type, object, "", unknown, drop, true);
        return unknown;
    }

    private static void walkObject(Schema schema, Schema.MessageType type, ObjectNode object, String path,
            List<String> unknown, boolean drop, boolean topLevel) {
        Map<String, Schema.Field> fields = new HashMap<>();
        collect(schema, type, fields);
        List<String> toDrop = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            if (topLevel && (name.equals("apiVersion") || name.equals("kind"))) {
                continue;
            }
            String childPath = path.isEmpty() ? name : path + "." + name;
            Schema.Field field = fields.get(name);
            if (field == null) {
                unknown.add(childPath);
                toDrop.add(name);
                continue;
            }
            walkValue(schema, field.type(), entry.getValue(), childPath, unknown, drop);
        }
        if (drop) {
            toDrop.forEach(object::remove);
        }
    }

    /** The JSON-visible fields of a message, with inlined (embedded) messages' fields merged in, as Go does. */
    private static void collect(Schema schema, Schema.MessageType type, Map<String, Schema.Field> into) {
        for (Schema.Field field : type.fields()) {
            if (field.inline() && field.type() instanceof Schema.Message message) {
                Schema.MessageType inner = schema.messages().get(message.typeName());
                if (inner != null) {
                    collect(schema, inner, into);
                }
            } else {
                into.put(field.jsonName(), field);
            }
        }
    }

    private static void walkValue(Schema schema, Schema.FieldType type, JsonNode value, String path,
            List<String> unknown, boolean drop) {
        switch (type) {
            case Schema.Message message -> {
                Schema.MessageType inner = schema.messages().get(message.typeName());
                if (inner != null && value instanceof ObjectNode object) {
                    walkObject(schema, inner, object, path, unknown, drop, false);
                }
            }
            case Schema.Repeated repeated -> {
                if (value instanceof ArrayNode array) {
                    for (int i = 0; i < array.size(); i++) {
                        walkValue(schema, repeated.element(), array.get(i), path + "[" + i + "]", unknown, drop);
                    }
                }
            }
            case Schema.MapOf map -> {
                if (value instanceof ObjectNode object) {
                    object.fields().forEachRemaining(e ->
                            walkValue(schema, map.value(), e.getValue(), path + "[" + e.getKey() + "]", unknown,
                                    drop));
                }
            }
            case Schema.Scalar scalar -> {
                // a leaf: its JSON type is checked by decoding, not here
            }
            case Schema.Special special -> {
                // Time, Quantity, IntOrString, RawExtension, FieldsV1...: free-form leaves
            }
        }
    }
}
