package dev.skiff.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What changed from one object to the next, as structured-merge-diff's Compare: the fields the new object sets
 * that the old did not ({@code added}), the reverse ({@code removed}), and the fields both set to different values
 * ({@code modified}: scalars, atomic lists and objects). Items of sets and keyed lists are matched by key.
 */
public record Comparison(FieldSet added, FieldSet removed, FieldSet modified) {

    /** {@code added} and {@code modified}: what the writer of the new object now owns. */
    public FieldSet changed() {
        return added.union(modified);
    }

    /**
     * Compares two objects of one shape (either may be null: nothing).
     *
     * @throws StructureException if a keyed item has no key
     */
    public static Comparison of(JsonNode before, JsonNode after, Shape shape) {
        Walk walk = new Walk();
        walk.object(before, after, shape, walk.added.root(), walk.removed.root(), walk.modified.root(), "");
        return new Comparison(walk.added.build(), walk.removed.build(), walk.modified.build());
    }

    /** The three sets under construction, walked in step. */
    private static final class Walk {
        final FieldSet.Builder added = new FieldSet.Builder();
        final FieldSet.Builder removed = new FieldSet.Builder();
        final FieldSet.Builder modified = new FieldSet.Builder();

        void object(JsonNode before, JsonNode after, Shape shape, FieldSet.Node add, FieldSet.Node remove,
                FieldSet.Node modify, String where) {
            JsonNode a = before != null && before.isObject() ? before : null;
            JsonNode b = after != null && after.isObject() ? after : null;
            if (a != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    PathElement element = new PathElement.Field(e.getKey());
                    value(e.getValue(), b == null ? null : b.get(e.getKey()), shape.field(e.getKey()), element,
                            add, remove, modify, where + "." + e.getKey());
                }
            }
            if (b != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (a != null && a.has(e.getKey())) {
                        continue;
                    }
                    PathElement element = new PathElement.Field(e.getKey());
                    FieldSets.walk(e.getValue(), shape.field(e.getKey()), added, added.node(add, element),
                            where + "." + e.getKey());
                }
            }
        }

        private void value(JsonNode a, JsonNode b, Shape shape, PathElement element, FieldSet.Node add,
                FieldSet.Node remove, FieldSet.Node modify, String where) {
            if (b == null) {
                FieldSets.walk(a, shape, removed, removed.node(remove, element), where);
                return;
            }
            if (a == null) {
                FieldSets.walk(b, shape, added, added.node(add, element), where);
                return;
            }
            boolean granularObjects = a.isObject() && b.isObject() && !shape.atomicObject()
                    && !a.isEmpty() && !b.isEmpty();
            boolean keyedLists = a.isArray() && b.isArray() && !(shape.list() instanceof ListKind.Atomic);
            if (granularObjects) {
                object(a, b, shape, added.node(add, element), removed.node(remove, element),
                        modified.node(modify, element), where);
            } else if (keyedLists) {
                list(a, b, shape, added.node(add, element), removed.node(remove, element),
                        modified.node(modify, element), where);
            } else if (a.isObject() && b.isObject() && !shape.atomicObject()) {
                if (a.isEmpty() && b.isEmpty()) {
                    return;
                }
                // One of them is empty: the empty object is a member of its side's set, the other side's leaves
                // are members of the other.
                FieldSets.walk(a, shape, removed, removed.node(remove, element), where);
                FieldSets.walk(b, shape, added, added.node(add, element), where);
            } else if (!Values.same(a, b)) {
                if (a.isContainerNode() != b.isContainerNode() || a.getNodeType() != b.getNodeType()) {
                    FieldSets.walk(a, shape, removed, removed.node(remove, element), where);
                    FieldSets.walk(b, shape, added, added.node(add, element), where);
                }
                modified.node(modify, element).member = true;
            }
        }

        private void list(JsonNode a, JsonNode b, Shape shape, FieldSet.Node add, FieldSet.Node remove,
                FieldSet.Node modify, String where) {
            ListKind kind = shape.list();
            Map<PathElement, JsonNode> before = index(a, kind, where);
            Map<PathElement, JsonNode> after = index(b, kind, where);
            for (Map.Entry<PathElement, JsonNode> e : before.entrySet()) {
                JsonNode next = after.get(e.getKey());
                if (next == null) {
                    FieldSet.Node node = removed.node(remove, e.getKey());
                    node.member = true;
                    if (kind instanceof ListKind.Map) {
                        FieldSets.walk(e.getValue(), shape.items(), removed, node, where);
                    }
                } else if (kind instanceof ListKind.Map) {
                    object(e.getValue(), next, shape.items(), added.node(add, e.getKey()),
                            removed.node(remove, e.getKey()), modified.node(modify, e.getKey()),
                            where + e.getKey().display());
                }
            }
            for (Map.Entry<PathElement, JsonNode> e : after.entrySet()) {
                if (before.containsKey(e.getKey())) {
                    continue;
                }
                FieldSet.Node node = added.node(add, e.getKey());
                node.member = true;
                if (kind instanceof ListKind.Map) {
                    FieldSets.walk(e.getValue(), shape.items(), added, node, where);
                }
            }
        }

        private static Map<PathElement, JsonNode> index(JsonNode list, ListKind kind, String where) {
            Map<PathElement, JsonNode> items = new LinkedHashMap<>();
            Set<PathElement> seen = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                PathElement element = Items.element(kind, list.get(i), i, where);
                if (seen.add(element)) {
                    items.put(element, list.get(i));
                }
            }
            return items;
        }
    }
}
