package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.status.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strategic merge patch, what {@code kubectl apply}, {@code edit} and {@code patch} send for built-in kinds: a JSON
 * merge patch in which lists merge by key (see {@link PatchMeta}) and these directives apply:
 * <ul>
 *   <li>{@code $patch: replace} in a map replaces it, in a keyed list element replaces the list;
 *       {@code $patch: delete} deletes the map or the keyed list element;</li>
 *   <li>{@code $retainKeys: [...]} keeps only the named fields of the original map;</li>
 *   <li>{@code $deleteFromPrimitiveList/<field>: [...]} removes values from a primitive list;</li>
 *   <li>{@code $setElementOrder/<field>: [...]} orders the merged list: listed elements in that order, then
 *       elements only the server had, in their original order.</li>
 * </ul>
 * Stateless and thread-safe.
 */
final class StrategicMergePatch {

    private static final String PATCH = "$patch";
    private static final String RETAIN_KEYS = "$retainKeys";
    private static final String DELETE_FROM = "$deleteFromPrimitiveList/";
    private static final String SET_ORDER = "$setElementOrder/";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StrategicMergePatch() {
    }

    static ObjectNode apply(ObjectNode original, JsonNode patch, String kind) {
        if (!patch.isObject()) {
            throw ApiException.badRequest("a strategic merge patch must be a JSON object");
        }
        JsonNode result = mergeMap(original.deepCopy(), (ObjectNode) patch, kind, List.of());
        if (!(result instanceof ObjectNode object)) {
            throw ApiException.badRequest("the patch deletes the whole object");
        }
        return object;
    }

    /** Merges {@code patch} into {@code original} (which may be null); null means "delete this map". */
    private static JsonNode mergeMap(ObjectNode original, ObjectNode patch, String kind, List<String> path) {
        String directive = patch.path(PATCH).asText("");
        if (directive.equals("delete")) {
            return null;
        }
        if (directive.equals("replace")) {
            return stripDirectives(patch);
        }
        if (!directive.isEmpty()) {
            throw ApiException.badRequest("unknown patch type: " + directive + " in map: " + patch);
        }
        ObjectNode result = original != null ? original : NODES.objectNode();
        JsonNode retain = patch.get(RETAIN_KEYS);
        if (retain != null) {
            if (!retain.isArray()) {
                throw ApiException.badRequest("$retainKeys must be a list of field names");
            }
            Set<String> keep = new HashSet<>();
            retain.forEach(k -> keep.add(k.asText()));
            patch.fieldNames().forEachRemaining(keep::add);
            result.retain(keep);
        }
        Map<String, JsonNode> orders = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String field = entry.getKey();
            JsonNode value = entry.getValue();
            if (field.equals(PATCH) || field.equals(RETAIN_KEYS)) {
                continue;
            }
            if (field.startsWith(SET_ORDER)) {
                orders.put(field.substring(SET_ORDER.length()), value);
                continue;
            }
            if (field.startsWith(DELETE_FROM)) {
                deleteFromPrimitiveList(result, field.substring(DELETE_FROM.length()), value);
                continue;
            }
            if (value.isNull()) {
                result.remove(field);
            } else if (value.isObject()) {
                JsonNode existing = result.get(field);
                List<String> childPath = append(path, field);
                JsonNode merged = mergeMap(existing instanceof ObjectNode o ? o : null, (ObjectNode) value, kind,
                        childPath);
                if (merged == null) {
                    result.remove(field);
                } else {
                    result.set(field, merged);
                }
            } else if (value.isArray()) {
                result.set(field, mergeList(result.get(field), (ArrayNode) value, kind, path, field));
            } else {
                result.set(field, value.deepCopy());
            }
        }
        for (Map.Entry<String, JsonNode> order : orders.entrySet()) {
            JsonNode list = result.get(order.getKey());
            if (list instanceof ArrayNode array) {
                result.set(order.getKey(), reorder(array, order.getValue(),
                        PatchMeta.forList(kind, path, order.getKey())));
            }
        }
        return result;
    }

    private static JsonNode mergeList(JsonNode original, ArrayNode patch, String kind, List<String> path,
            String field) {
        PatchMeta.ListStrategy strategy = PatchMeta.forList(kind, path, field);
        ArrayNode base = original instanceof ArrayNode array ? array : NODES.arrayNode();
        return switch (strategy) {
            case PatchMeta.Replace replace -> stripDirectives(patch);
            case PatchMeta.PrimitiveSet set -> {
                ArrayNode result = base.deepCopy();
                Set<JsonNode> present = new HashSet<>();
                result.forEach(present::add);
                for (JsonNode value : patch) {
                    if (present.add(value)) {
                        result.add(value.deepCopy());
                    }
                }
                yield result;
            }
            case PatchMeta.ByKey byKey -> mergeKeyed(base, patch, byKey.key(), kind, append(path, field));
        };
    }

    private static ArrayNode mergeKeyed(ArrayNode base, ArrayNode patch, String key, String kind,
            List<String> path) {
        for (JsonNode element : patch) {
            if (element.isObject() && element.path(PATCH).asText("").equals("replace")) {
                ArrayNode replaced = NODES.arrayNode();
                for (JsonNode other : patch) {
                    if (!other.path(PATCH).asText("").equals("replace")) {
                        replaced.add(stripDirectives(other));
                    }
                }
                return replaced;
            }
        }
        List<JsonNode> result = new ArrayList<>();
        base.forEach(e -> result.add(e.deepCopy()));
        for (JsonNode element : patch) {
            if (!element.isObject()) {
                throw ApiException.badRequest("the list " + String.join(".", path)
                        + " merges by \"" + key + "\" and needs objects, got " + element);
            }
            JsonNode keyValue = element.get(key);
            if (keyValue == null) {
                throw ApiException.badRequest("map: " + element + " does not contain declared merge key: " + key);
            }
            int index = indexOf(result, key, keyValue);
            if (element.path(PATCH).asText("").equals("delete")) {
                if (index >= 0) {
                    result.remove(index);
                }
                continue;
            }
            JsonNode merged = mergeMap(index >= 0 && result.get(index) instanceof ObjectNode o ? o : null,
                    (ObjectNode) element, kind, path);
            if (index >= 0) {
                result.set(index, merged);
            } else {
                result.add(merged);
            }
        }
        ArrayNode array = NODES.arrayNode();
        result.forEach(array::add);
        return array;
    }

    private static int indexOf(List<JsonNode> elements, String key, JsonNode value) {
        for (int i = 0; i < elements.size(); i++) {
            if (value.equals(elements.get(i).get(key))) {
                return i;
            }
        }
        return -1;
    }

    private static ArrayNode reorder(ArrayNode list, JsonNode order, PatchMeta.ListStrategy strategy) {
        if (!order.isArray()) {
            throw ApiException.badRequest("$setElementOrder must be a list");
        }
        List<JsonNode> remaining = new ArrayList<>();
        list.forEach(remaining::add);
        ArrayNode ordered = NODES.arrayNode();
        for (JsonNode wanted : order) {
            for (Iterator<JsonNode> it = remaining.iterator(); it.hasNext(); ) {
                JsonNode element = it.next();
                boolean match = strategy instanceof PatchMeta.ByKey byKey
                        ? wanted.get(byKey.key()) != null && wanted.get(byKey.key()).equals(element.get(byKey.key()))
                        : wanted.equals(element);
                if (match) {
                    ordered.add(element);
                    it.remove();
                    break;
                }
            }
        }
        remaining.forEach(ordered::add);
        return ordered;
    }

    private static void deleteFromPrimitiveList(ObjectNode target, String field, JsonNode values) {
        JsonNode list = target.get(field);
        if (!(list instanceof ArrayNode array) || !values.isArray()) {
            return;
        }
        Set<JsonNode> remove = new HashSet<>();
        values.forEach(remove::add);
        ArrayNode kept = NODES.arrayNode();
        array.forEach(v -> {
            if (!remove.contains(v)) {
                kept.add(v);
            }
        });
        target.set(field, kept);
    }

    /** A copy without any {@code $} directive fields, at every depth. */
    private static JsonNode stripDirectives(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode copy = NODES.objectNode();
            object.fields().forEachRemaining(e -> {
                if (!e.getKey().startsWith("$")) {
                    copy.set(e.getKey(), stripDirectives(e.getValue()));
                }
            });
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = NODES.arrayNode();
            array.forEach(e -> copy.add(stripDirectives(e)));
            return copy;
        }
        return node.deepCopy();
    }

    private static List<String> append(List<String> path, String field) {
        List<String> next = new ArrayList<>(path);
        next.add(field);
        return List.copyOf(next);
    }
}
