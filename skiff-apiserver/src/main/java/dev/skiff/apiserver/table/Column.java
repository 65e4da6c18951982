package dev.skiff.apiserver.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Function;

/**
 * One table column: its definition (name, type, format, priority: 0 always shown, 1 only with {@code -o wide}) and
 * how to compute its cell from an object.
 */
public record Column(String name, String type, String format, int priority, String description,
        Function<ObjectNode, Object> cell) {

    static Column of(String name, Function<ObjectNode, Object> cell) {
        return new Column(name, "string", "", 0, name, cell);
    }

    static Column wide(String name, Function<ObjectNode, Object> cell) {
        return new Column(name, "string", "", 1, name, cell);
    }

    static Column integer(String name, Function<ObjectNode, Object> cell) {
        return new Column(name, "integer", "", 0, name, cell);
    }
}
