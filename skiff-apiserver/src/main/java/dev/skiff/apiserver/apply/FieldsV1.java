package dev.skiff.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The {@code FieldsV1} encoding of a {@link FieldSet} in {@code managedFields[].fieldsV1}: a JSON object per node,
 * keyed by {@link PathElement#encode() encoded elements}; a member with no children is {@code {}}, a member with
 * children also carries {@code ".": {}}. Element kinds this version does not know are dropped when decoding, as
 * upstream does. Stateless.
 */
public final class FieldsV1 {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FieldsV1() {
    }

    public static ObjectNode encode(FieldSet set) {
        ObjectNode out = NODES.objectNode();
        write(set, out);
        return out;
    }

    private static void write(FieldSet node, ObjectNode out) {
        for (Map.Entry<PathElement, FieldSet> e : node.children().entrySet()) {
            ObjectNode child = out.putObject(e.getKey().encode());
            FieldSet sub = e.getValue();
            if (sub.member() && !sub.children().isEmpty()) {
                child.putObject(".");
            }
            write(sub, child);
        }
    }

    /**
     * Decodes a FieldsV1 object.
     *
     * @throws IllegalArgumentException if it is not one
     */
    public static FieldSet decode(JsonNode fields) {
        if (fields == null || fields.isNull() || fields.isMissingNode()) {
            return FieldSet.EMPTY;
        }
        if (!fields.isObject()) {
            throw new IllegalArgumentException("fieldsV1 must be a JSON object");
        }
        FieldSet.Builder builder = new FieldSet.Builder();
        read(fields, builder, builder.root());
        return builder.build();
    }

    private static void read(JsonNode object, FieldSet.Builder builder, FieldSet.Node parent) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(".")) {
                parent.member = true;
                continue;
            }
            PathElement element = PathElement.decode(e.getKey());
            if (element == null) {
                continue;
            }
            if (!e.getValue().isObject()) {
                throw new IllegalArgumentException("the value of " + e.getKey() + " must be a JSON object");
            }
            FieldSet.Node child = builder.node(parent, element);
            read(e.getValue(), builder, child);
            if (child.children.isEmpty()) {
                child.member = true;
            }
        }
    }
}
