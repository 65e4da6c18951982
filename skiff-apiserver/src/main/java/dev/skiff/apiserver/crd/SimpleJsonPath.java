package dev.skiff.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSONPath subset CRDs use for printer columns and the scale subresource: fields ({@code .spec.replicas}, with
 * {@code \.} escaping a dot in a key), indexes ({@code [0]}), wildcards ({@code [*]}) and equality filters
 * ({@code [?(@.type=="Ready")]}). Immutable.
 */
final class SimpleJsonPath {

    private sealed interface Step permits Field, Index, All, Filter {
    }

    private record Field(String name) implements Step {
    }

    private record Index(int index) implements Step {
    }

    private record All() implements Step {
    }

    private record Filter(List<String> fields, String value) implements Step {
    }

    private final List<Step> steps;

    private SimpleJsonPath(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /** Parses a path that starts with "."; empty when it is not one this subset understands. */
    static Optional<SimpleJsonPath> parse(String path) {
        if (path == null || !path.startsWith(".") || path.length() < 2) {
            return Optional.empty();
        }
        List<Step> steps = new ArrayList<>();
        int i = 0;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                StringBuilder name = new StringBuilder();
                i++;
                while (i < path.length() && path.charAt(i) != '.' && path.charAt(i) != '[') {
                    if (path.charAt(i) == '\\' && i + 1 < path.length()) {
                        i++;
                    }
                    name.append(path.charAt(i++));
                }
                if (name.isEmpty()) {
                    return Optional.empty();
                }
                steps.add(new Field(name.toString()));
            } else if (c == '[') {
                int end = path.indexOf(']', i);
                if (end < 0) {
                    return Optional.empty();
                }
                Optional<Step> step = bracket(path.substring(i + 1, end));
                if (step.isEmpty()) {
                    return Optional.empty();
                }
                steps.add(step.get());
                i = end + 1;
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(new SimpleJsonPath(steps));
    }

    private static Optional<Step> bracket(String inside) {
        if (inside.equals("*")) {
            return Optional.of(new All());
        }
        if (inside.matches("\\d+")) {
            return Optional.of(new Index(Integer.parseInt(inside)));
        }
        java.util.regex.Matcher filter = java.util.regex.Pattern
                .compile("\\?\\(@((?:\\.[A-Za-z0-9_-]+)+)\\s*==\\s*(?:\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_.-]+))\\)")
                .matcher(inside);
        if (filter.matches()) {
            List<String> fields = List.of(filter.group(1).substring(1).split("\\."));
            String value = filter.group(2) != null ? filter.group(2)
                    : filter.group(3) != null ? filter.group(3) : filter.group(4);
            return Optional.of(new Filter(fields, value));
        }
        return Optional.empty();
    }

    /** Whether the path is only field names (what the scale subresource's paths must be). */
    boolean fieldsOnly() {
        return steps.stream().allMatch(step -> step instanceof Field);
    }

    /** The first field name: "spec" of ".spec.replicas". */
    String first() {
        return steps.get(0) instanceof Field field ? field.name() : "";
    }

    /** Every value the path selects in {@code root}, in document order. */
    List<JsonNode> find(JsonNode root) {
        List<JsonNode> current = List.of(root);
        for (Step step : steps) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                switch (step) {
                    case Field field -> {
                        if (node.has(field.name())) {
                            next.add(node.get(field.name()));
                        }
                    }
                    case Index index -> {
                        if (node.isArray() && index.index() < node.size()) {
                            next.add(node.get(index.index()));
                        }
                    }
                    case All all -> node.forEach(next::add);
                    case Filter filter -> node.forEach(item -> {
                        JsonNode value = item;
                        for (String name : filter.fields()) {
                            value = value.path(name);
                        }
                        if (value.isValueNode() && value.asText().equals(filter.value())) {
                            next.add(item);
                        }
                    });
                }
            }
            current = next;
        }
        return current;
    }

    /** The first value the path selects, if any. */
    Optional<JsonNode> first(JsonNode root) {
        List<JsonNode> found = find(root);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Sets the value at a {@link #fieldsOnly()} path, creating objects on the way. */
    void set(ObjectNode root, JsonNode value) {
        ObjectNode node = root;
        for (int i = 0; i < steps.size() - 1; i++) {
            String name = ((Field) steps.get(i)).name();
            if (!(node.get(name) instanceof ObjectNode)) {
                node.putObject(name);
            }
            node = (ObjectNode) node.get(name);
        }
        node.set(((Field) steps.get(steps.size() - 1)).name(), value);
    }
}
