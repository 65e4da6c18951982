package dev.skiff.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Test documents as YAML (or JSON, which is YAML), and a small table-driven {@link Shape}. */
final class Json {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Json() {
    }

    static ObjectNode object(String yaml) {
        return (ObjectNode) node(yaml);
    }

    static JsonNode node(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lists named in {@code lists} have that kind wherever they are; objects named in {@code atomic} are atomic. */
    static Shape shape(Map<String, ListKind> lists, Set<String> atomic) {
        return new TableShape(lists, atomic, "");
    }

    /** Pod-like: containers, env and volumes by name, ports by containerPort+protocol, finalizers a set. */
    static Shape podLike() {
        return shape(Map.of(
                "containers", new ListKind.Map(List.of("name")),
                "env", new ListKind.Map(List.of("name")),
                "volumes", new ListKind.Map(List.of("name")),
                "ports", new ListKind.Map(List.of("containerPort", "protocol"),
                        Map.of("protocol", com.fasterxml.jackson.databind.node.TextNode.valueOf("TCP"))),
                "finalizers", ListKind.SET,
                "tags", ListKind.SET), Set.of("selector"));
    }

    private record TableShape(Map<String, ListKind> lists, Set<String> atomic, String name) implements Shape {

        @Override
        public Shape field(String field) {
            return new TableShape(lists, atomic, field);
        }

        @Override
        public Shape items() {
            return this;
        }

        @Override
        public ListKind list() {
            return lists.getOrDefault(name, ListKind.ATOMIC);
        }

        @Override
        public boolean atomicObject() {
            return atomic.contains(name);
        }
    }
}
