package dev.skiff.apiserver.table;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.resource.ResourceType;
import java.util.List;
import java.util.Locale;

/**
 * Builds {@code meta.k8s.io/v1 Table} objects: column definitions, one row per object with its cells, and the row's
 * object as the client asked ({@code includeObject}: None, Metadata (default, as PartialObjectMetadata), Object).
 */
public final class TableWriter {

    private final ObjectMapper json;
    private final TableColumns columns;
    private final ColumnProvider custom;

    public TableWriter(ObjectMapper json, TableColumns columns) {
        this(json, columns, ColumnProvider.NONE);
    }

    /** With {@code custom} columns taking precedence over the built-in printers (custom resources). */
    public TableWriter(ObjectMapper json, TableColumns columns, ColumnProvider custom) {
        this.json = json;
        this.columns = columns;
        this.custom = custom;
    }

    /** Whether an Accept header asks for a table. */
    public static boolean wantsTable(String accept) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("as=table");
    }

    /** A table of {@code items} of {@code type}, with list metadata (resourceVersion, continue). */
    public ObjectNode table(ResourceType type, List<ObjectNode> items, String includeObject, String resourceVersion,
            String continueToken) {
        return table(custom.columns(type).orElseGet(() -> columns.forResource(type.group(), type.plural())), items,
                includeObject, resourceVersion, continueToken);
    }

    /** A table of {@code items} of a built-in resource, with list metadata (resourceVersion, continue). */
    public ObjectNode table(String group, String plural, List<ObjectNode> items, String includeObject,
            String resourceVersion, String continueToken) {
        return table(columns.forResource(group, plural), items, includeObject, resourceVersion, continueToken);
    }

    private ObjectNode table(List<Column> cols, List<ObjectNode> items, String includeObject,
            String resourceVersion, String continueToken) {
        ObjectNode table = json.createObjectNode();
        table.put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        ObjectNode metadata = table.putObject("metadata");
        if (resourceVersion != null) {
            metadata.put("resourceVersion", resourceVersion);
        }
        if (continueToken != null) {
            metadata.put("continue", continueToken);
        }
        ArrayNode definitions = table.putArray("columnDefinitions");
        for (Column column : cols) {
            definitions.addObject().put("name", column.name()).put("type", column.type())
                    .put("format", column.format()).put("description", column.description())
                    .put("priority", column.priority());
        }
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode item : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Column column : cols) {
                Object value = column.cell().apply(item);
                if (value == null) {
                    cells.addNull();
                } else if (value instanceof Double || value instanceof Float) {
                    cells.add(((Number) value).doubleValue());
                } else if (value instanceof Number number) {
                    cells.add(number.longValue());
                } else if (value instanceof Boolean bool) {
                    cells.add(bool);
                } else {
                    cells.add(String.valueOf(value));
                }
            }
            ObjectNode rowObject = rowObject(item, includeObject);
            if (rowObject != null) {
                row.set("object", rowObject);
            }
        }
        return table;
    }

    private ObjectNode rowObject(ObjectNode item, String includeObject) {
        String mode = includeObject == null || includeObject.isEmpty() ? "Metadata" : includeObject;
        return switch (mode) {
            case "None" -> null;
            case "Object" -> item;
            default -> {
                ObjectNode partial = json.createObjectNode();
                partial.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
                partial.set("metadata", item.path("metadata").deepCopy());
                yield partial;
            }
        };
    }
}
