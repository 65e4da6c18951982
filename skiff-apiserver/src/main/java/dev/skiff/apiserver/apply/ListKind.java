package dev.skiff.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * How a list merges and is owned, as {@code x-kubernetes-list-type} says: replaced and owned whole (atomic, the
 * default), a set of scalars owned item by item, or an associative list whose object items are identified by key
 * fields. Values are immutable.
 */
public sealed interface ListKind {

    /** The whole list is one value. */
    record Atomic() implements ListKind {
    }

    /** Items are distinct scalars, each owned on its own ({@code v:} elements). */
    record Set() implements ListKind {
    }

    /**
     * Items are objects identified by the values of {@code keys} ({@code k:} elements); a key field an item omits
     * takes its value from {@code defaults} (as upstream uses the schema default, e.g. a port's protocol "TCP").
     */
    record Map(List<String> keys, java.util.Map<String, JsonNode> defaults) implements ListKind {

        public Map {
            keys = List.copyOf(keys);
            defaults = java.util.Map.copyOf(defaults);
        }

        public Map(List<String> keys) {
            this(keys, java.util.Map.of());
        }
    }

    ListKind ATOMIC = new Atomic();
    ListKind SET = new Set();
}
