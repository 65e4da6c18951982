package dev.skiff.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The path element of a list item, by the list's kind: its key fields, or its value. Stateless. */
final class Items {

    private Items() {
    }

    /** The element naming {@code item} (at {@code index} of the list at {@code where}) in a set or keyed list. */
    static PathElement element(ListKind kind, JsonNode item, int index, String where) {
        return switch (kind) {
            case ListKind.Set set -> {
                if (item.isContainerNode()) {
                    throw new StructureException(where + ": element " + index
                            + ": a set may only hold scalar values");
                }
                yield PathElement.value(item);
            }
            case ListKind.Map map -> {
                if (!item.isObject()) {
                    throw new StructureException(where + ": element " + index
                            + ": associative list with keys has an element that is not a map");
                }
                List<JsonNode> values = new ArrayList<>(map.keys().size());
                for (String key : map.keys()) {
                    JsonNode value = item.get(key);
                    if (value == null || value.isNull()) {
                        value = map.defaults().get(key);
                    }
                    if (value == null) {
                        throw new StructureException(where + ": element " + index + ": associative list with keys "
                                + "has an element that omits key field \"" + key + "\" (and doesn't have default value)");
                    }
                    values.add(value);
                }
                yield PathElement.key(map.keys(), values);
            }
            case ListKind.Atomic atomic -> new PathElement.Index(index);
        };
    }
}
