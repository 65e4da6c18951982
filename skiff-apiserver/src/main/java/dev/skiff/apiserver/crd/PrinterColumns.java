package dev.skiff.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.table.Column;
import dev.skiff.apiserver.table.HumanDuration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The table columns of a custom resource version, as apiextensions' tableconvertor builds them: Name, then the
 * version's {@code additionalPrinterColumns} or, when it declares none, Age. A cell is the first value the column's
 * JSONPath selects, typed as the column says (integer, number, boolean; a date as an age like "5m"; a string as
 * text); nothing selected, or a value of the wrong type, is an empty cell (kubectl prints {@code <none>}).
 */
final class PrinterColumns {

    private static final String NAME_DESCRIPTION = "Name must be unique within a namespace. Is required when "
            + "creating resources, although some resources may allow a client to request the generation of an "
            + "appropriate name automatically. Name is primarily intended for creation idempotence and configuration "
            + "definition. Cannot be updated. More info: "
            + "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
    private static final String AGE_DESCRIPTION = "CreationTimestamp is a timestamp representing the server time "
            + "when this object was created. It is not guaranteed to be set in happens-before order across separate "
            + "operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\n"
            + "Populated by the system. Read-only. Null for lists. More info: "
            + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    private PrinterColumns() {
    }

    static List<Column> of(CrdVersion version, Clock clock) {
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("Name", "string", "name", 0, NAME_DESCRIPTION,
                o -> o.path("metadata").path("name").asText()));
        if (version.columns().isEmpty()) {
            columns.add(new Column("Age", "date", "", 0, AGE_DESCRIPTION,
                    cell(new PrinterColumn("Age", "date", "", "", 0, ".metadata.creationTimestamp"), clock)));
        }
        for (PrinterColumn column : version.columns()) {
            columns.add(new Column(column.name(), column.type(), column.format(), column.priority(),
                    column.description(), cell(column, clock)));
        }
        return columns;
    }

    private static Function<ObjectNode, Object> cell(PrinterColumn column, Clock clock) {
        Optional<SimpleJsonPath> path = SimpleJsonPath.parse(column.jsonPath());
        return object -> path.flatMap(p -> p.first(object)).map(value -> typed(column.type(), value, clock))
                .orElse(null);
    }

    private static Object typed(String type, JsonNode value, Clock clock) {
        return switch (type) {
            case "integer" -> value.isNumber() ? (Object) value.asLong() : null;
            case "number" -> value.isNumber() ? (Object) value.asDouble() : null;
            case "boolean" -> value.isBoolean() ? (Object) value.asBoolean() : null;
            case "date" -> value.isTextual() ? age(value.asText(), clock) : null;
            default -> value.isValueNode() ? value.asText() : value.toString();
        };
    }

    private static String age(String timestamp, Clock clock) {
        try {
            Instant since = OffsetDateTime.parse(timestamp).toInstant();
            return HumanDuration.format(Duration.between(since, clock.instant()));
        } catch (DateTimeParseException e) {
            return "<invalid>";
        }
    }
}
