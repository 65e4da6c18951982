package dev.skiff.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges an applied configuration into the live object, as structured-merge-diff's Merge: objects merge field by
 * field (a null in the configuration removes the field), items of sets and keyed lists merge by key, everything
 * else (scalars, atomic lists and objects) is replaced by the configuration's value. Items the configuration names
 * come in its order; items only the live object has keep their place relative to them. Stateless.
 */
public final class Merger {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Merger() {
    }

    /**
     * The merge of {@code config} into {@code live}; {@code live} (which may be null) may be reused in the result,
     * {@code config} is copied.
     *
     * @throws StructureException if the configuration repeats a key or a keyed item has none
     */
    public static ObjectNode merge(ObjectNode live, ObjectNode config, Shape shape) {
        return (ObjectNode) value(live, config, shape, "");
    }

    private static JsonNode value(JsonNode live, JsonNode config, Shape shape, String where) {
        if (config.isObject() && !shape.atomicObject()) {
            ObjectNode result = NODES.objectNode();
            if (live != null && live.isObject()) {
                result.setAll((ObjectNode) live);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNull()) {
                    result.remove(e.getKey());
                } else {
                    result.set(e.getKey(), value(result.get(e.getKey()), e.getValue(), shape.field(e.getKey()),
                            where + "." + e.getKey()));
                }
            }
            return result;
        }
        if (config.isArray() && !(shape.list() instanceof ListKind.Atomic)) {
            return list(live != null && live.isArray() ? live : NODES.arrayNode(), config, shape, where);
        }
        return config.deepCopy();
    }

    private static ArrayNode list(JsonNode live, JsonNode config, Shape shape, String where) {
        ListKind kind = shape.list();
        List<PathElement> configKeys = new ArrayList<>(config.size());
        Map<PathElement, JsonNode> configItems = new HashMap<>();
        for (int i = 0; i < config.size(); i++) {
            PathElement element = Items.element(kind, config.get(i), i, where);
            if (configItems.put(element, config.get(i)) != null) {
                throw new StructureException(where + ": duplicate entries for key " + element.display());
            }
            configKeys.add(element);
        }
        Map<PathElement, JsonNode> liveItems = new HashMap<>();
        List<PathElement> liveKeys = new ArrayList<>(live.size());
        for (int i = 0; i < live.size(); i++) {
            PathElement element = Items.element(kind, live.get(i), i, where);
            liveItems.putIfAbsent(element, live.get(i));
            liveKeys.add(element);
        }
        ArrayNode out = NODES.arrayNode();
        Set<PathElement> emitted = new HashSet<>();
        int next = 0;
        for (int i = 0; i < live.size(); i++) {
            PathElement element = liveKeys.get(i);
            if (!configItems.containsKey(element)) {
                out.add(live.get(i));
                continue;
            }
            // A shared item: the configuration's items up to it come first, in the configuration's order.
            while (!emitted.contains(element) && next < configKeys.size()) {
                PathElement wanted = configKeys.get(next++);
                if (emitted.add(wanted)) {
                    out.add(item(liveItems.get(wanted), configItems.get(wanted), kind, shape, where));
                }
            }
        }
        while (next < configKeys.size()) {
            PathElement wanted = configKeys.get(next++);
            if (emitted.add(wanted)) {
                out.add(item(liveItems.get(wanted), configItems.get(wanted), kind, shape, where));
            }
        }
        return out;
    }

    private static JsonNode item(JsonNode live, JsonNode config, ListKind kind, Shape shape, String where) {
        if (kind instanceof ListKind.Map) {
            return value(live, config, shape.items(), where);
        }
        return config.deepCopy();
    }
}
