package dev.skiff.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;

/**
 * The fields an object sets, as structured-merge-diff's ToFieldSet: every scalar, atomic list or object, empty
 * object and null is a member; objects are walked field by field; every item of a set or keyed list is a member
 * and keyed items are walked too. Stateless.
 */
public final class FieldSets {

    private FieldSets() {
    }

    /**
     * The field set of {@code object}.
     *
     * @param strict refuse duplicate items in sets and keyed lists (an applied configuration); otherwise the first
     *               one counts (a stored object)
     * @throws StructureException if a keyed item has no key
     */
    public static FieldSet of(JsonNode object, Shape shape, boolean strict) {
        FieldSet.Builder builder = new FieldSet.Builder();
        if (object != null && object.isObject()) {
            walkObject(object, shape, builder, builder.root(), "", strict);
        }
        return builder.build();
    }

    /** Adds the fields of {@code value} below {@code node}; used by {@link Comparison} for added/removed subtrees. */
    static void walk(JsonNode value, Shape shape, FieldSet.Builder builder, FieldSet.Node node, String where) {
        walkValue(value, shape, builder, node, where, false);
    }

    private static void walkObject(JsonNode object, Shape shape, FieldSet.Builder builder, FieldSet.Node node,
            String where, boolean strict) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            FieldSet.Node child = builder.node(node, new PathElement.Field(e.getKey()));
            walkValue(e.getValue(), shape.field(e.getKey()), builder, child, where + "." + e.getKey(), strict);
        }
    }

    private static void walkValue(JsonNode value, Shape shape, FieldSet.Builder builder, FieldSet.Node node,
            String where, boolean strict) {
        if (value.isObject()) {
            if (shape.atomicObject() || value.isEmpty()) {
                node.member = true;
            } else {
                walkObject(value, shape, builder, node, where, strict);
            }
            return;
        }
        if (!value.isArray()) {
            node.member = true;
            return;
        }
        ListKind kind = shape.list();
        if (kind instanceof ListKind.Atomic) {
            node.member = true;
            return;
        }
        java.util.Set<PathElement> seen = new HashSet<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            PathElement element = Items.element(kind, item, i, where);
            if (!seen.add(element)) {
                if (strict) {
                    throw new StructureException(where + ": duplicate entries for key " + element.display());
                }
                continue;
            }
            FieldSet.Node child = builder.node(node, element);
            child.member = true;
            if (kind instanceof ListKind.Map) {
                walkObject(item, shape.items(), builder, child, where + element.display(), strict);
            }
        }
    }
}
