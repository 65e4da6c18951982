package dev.skiff.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Removes the members of a field set from an object, as structured-merge-diff's RemoveItems: a member field is
 * removed with everything under it, a member item of a set or keyed list is removed from its list; paths that are
 * only on the way to members are walked. Stateless.
 */
public final class Remover {

    private Remover() {
    }

    /** Removes {@code set}'s members from {@code object}, in place. */
    public static void remove(ObjectNode object, FieldSet set, Shape shape) {
        value(object, set, shape, "");
    }

    private static void value(JsonNode node, FieldSet set, Shape shape, String where) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<PathElement, FieldSet> e : set.children().entrySet()) {
                if (!(e.getKey() instanceof PathElement.Field field) || !object.has(field.name())) {
                    continue;
                }
                if (e.getValue().member()) {
                    object.remove(field.name());
                } else {
                    value(object.get(field.name()), e.getValue(), shape.field(field.name()),
                            where + "." + field.name());
                }
            }
        } else if (node instanceof ArrayNode array) {
            ListKind kind = shape.list();
            if (kind instanceof ListKind.Atomic) {
                return;
            }
            for (int i = array.size() - 1; i >= 0; i--) {
                PathElement element = Items.element(kind, array.get(i), i, where);
                FieldSet sub = set.children().get(element);
                if (sub == null) {
                    continue;
                }
                if (sub.member()) {
                    array.remove(i);
                } else if (kind instanceof ListKind.Map) {
                    value(array.get(i), sub, shape.items(), where + element.display());
                }
            }
        }
    }
}
