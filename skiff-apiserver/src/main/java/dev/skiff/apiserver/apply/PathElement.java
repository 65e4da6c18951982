package dev.skiff.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One step of a field path, as structured-merge-diff's {@code PathElement}: a field of an object (or key of a map),
 * an item of an associative list selected by its key fields, an item of a set selected by its value, or an item of
 * an atomic list by index (only ever read from foreign managedFields). Ordered as upstream orders them: fields, then
 * keys, then values, then indexes. Values are immutable.
 */
public sealed interface PathElement extends Comparable<PathElement> {

    /** Field {@code name} of an object or map: {@code f:name} in FieldsV1, {@code .name} in messages. */
    record Field(String name) implements PathElement {
    }

    /**
     * The item of an associative list whose key fields have these values, as a canonical JSON object:
     * {@code k:{"name":"c"}} in FieldsV1, {@code [name="c"]} in messages.
     */
    record Key(String json) implements PathElement {
    }

    /** The set item equal to this canonical JSON value: {@code v:"a"} in FieldsV1, {@code [="a"]} in messages. */
    record Value(String json) implements PathElement {
    }

    /** An item of an atomic list by position: {@code i:0}. */
    record Index(int index) implements PathElement {
    }

    static PathElement field(String name) {
        return new Field(name);
    }

    /** The key of an associative list item: the values of {@code names}, in canonical form. */
    static PathElement key(List<String> names, List<JsonNode> values) {
        return new Key(CanonicalJson.write(CanonicalJson.sortedObject(names, values)));
    }

    static PathElement value(JsonNode value) {
        return new Value(CanonicalJson.write(value));
    }

    /** The FieldsV1 spelling. */
    default String encode() {
        return switch (this) {
            case Field f -> "f:" + f.name();
            case Key k -> "k:" + k.json();
            case Value v -> "v:" + v.json();
            case Index i -> "i:" + i.index();
        };
    }

    /**
     * Parses a FieldsV1 key; null for a kind of element this version does not know (upstream drops those too).
     *
     * @throws IllegalArgumentException for a malformed element
     */
    static PathElement decode(String text) {
        if (text.length() < 2 || text.charAt(1) != ':') {
            throw new IllegalArgumentException("malformed path element: " + text);
        }
        String body = text.substring(2);
        return switch (text.charAt(0)) {
            case 'f' -> new Field(body);
            case 'k' -> {
                JsonNode key = CanonicalJson.read(body);
                if (!key.isObject()) {
                    throw new IllegalArgumentException("a key must be a JSON object: " + text);
                }
                yield new Key(CanonicalJson.write(key));
            }
            case 'v' -> new Value(CanonicalJson.write(CanonicalJson.read(body)));
            case 'i' -> {
                try {
                    yield new Index(Integer.parseInt(body));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("malformed index: " + text, e);
                }
            }
            default -> null;
        };
    }

    /** How upstream prints the element in a path: {@code .spec}, {@code [name="c"]}, {@code [="a"]}, {@code [0]}. */
    default String display() {
        return switch (this) {
            case Field f -> "." + f.name();
            case Key k -> {
                StringBuilder out = new StringBuilder("[");
                JsonNode key = CanonicalJson.read(k.json());
                for (Iterator<Map.Entry<String, JsonNode>> it = key.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    out.append(e.getKey()).append('=').append(CanonicalJson.write(e.getValue()));
                    if (it.hasNext()) {
                        out.append(',');
                    }
                }
                yield out.append(']').toString();
            }
            case Value v -> "[=" + v.json() + "]";
            case Index i -> "[" + i.index() + "]";
        };
    }

    @Override
    default int compareTo(PathElement other) {
        int rank = Integer.compare(rank(this), rank(other));
        if (rank != 0) {
            return rank;
        }
        return switch (this) {
            case Field f -> f.name().compareTo(((Field) other).name());
            case Key k -> k.json().compareTo(((Key) other).json());
            case Value v -> v.json().compareTo(((Value) other).json());
            case Index i -> Integer.compare(i.index(), ((Index) other).index());
        };
    }

    private static int rank(PathElement element) {
        return switch (element) {
            case Field f -> 0;
            case Key k -> 1;
            case Value v -> 2;
            case Index i -> 3;
        };
    }
}
