package dev.skiff.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The part of an object a write may own, as upstream's per-strategy reset fields: the whole object; everything but
 * {@code status} for the main resource of a kind with a status subresource; only {@code status} through that
 * subresource. {@code metadata.managedFields} is never part of it.
 */
public enum Scope {
    WHOLE, WITHOUT_STATUS, STATUS;

    /**
     * A read-only view of {@code object} restricted to this scope (null for null), sharing its subtrees: callers
     * must not change either while using the view.
     */
    public ObjectNode view(ObjectNode object) {
        if (object == null) {
            return null;
        }
        ObjectNode view = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (this == STATUS ? !name.equals("status") : (this == WITHOUT_STATUS && name.equals("status"))) {
                continue;
            }
            if (name.equals("metadata") && e.getValue() instanceof ObjectNode metadata
                    && metadata.has("managedFields")) {
                ObjectNode copy = JsonNodeFactory.instance.objectNode();
                copy.setAll(metadata);
                copy.remove("managedFields");
                view.set(name, copy);
            } else {
                view.set(name, e.getValue());
            }
        }
        return view;
    }
}
