package dev.skiff.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The names of a custom resource ({@code spec.names} or {@code status.acceptedNames}).
 *
 * @param plural     the resource in URLs, e.g. "crontabs"
 * @param singular   e.g. "crontab"
 * @param kind       e.g. "CronTab"
 * @param listKind   e.g. "CronTabList"
 * @param shortNames kubectl short names
 * @param categories kubectl categories, e.g. "all"
 */
public record CrdNames(String plural, String singular, String kind, String listKind, List<String> shortNames,
        List<String> categories) {

    public CrdNames {
        shortNames = List.copyOf(shortNames);
        categories = List.copyOf(categories);
    }

    static CrdNames parse(JsonNode names) {
        return new CrdNames(names.path("plural").asText(""), names.path("singular").asText(""),
                names.path("kind").asText(""), names.path("listKind").asText(""), strings(names.path("shortNames")),
                strings(names.path("categories")));
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    /** The names as upstream serialises them, empty lists omitted. */
    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        if (!categories.isEmpty()) {
            categories.forEach(node.putArray("categories")::add);
        }
        node.put("kind", kind);
        node.put("listKind", listKind);
        node.put("plural", plural);
        if (!shortNames.isEmpty()) {
            shortNames.forEach(node.putArray("shortNames")::add);
        }
        node.put("singular", singular);
        return node;
    }
}
