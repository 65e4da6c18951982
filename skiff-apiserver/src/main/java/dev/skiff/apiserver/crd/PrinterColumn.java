package dev.skiff.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One {@code additionalPrinterColumns} entry of a CRD version.
 *
 * @param name        the column header
 * @param type        "integer", "number", "string", "boolean" or "date"
 * @param format      e.g. "int32", "date-time", "" when none
 * @param description what the column shows
 * @param priority    0 always shown, higher only with {@code -o wide}
 * @param jsonPath    the simple JSONPath of the cell, e.g. ".spec.replicas"
 */
public record PrinterColumn(String name, String type, String format, String description, int priority,
        String jsonPath) {

    static PrinterColumn parse(JsonNode column) {
        return new PrinterColumn(column.path("name").asText(""), column.path("type").asText(""),
                column.path("format").asText(""), column.path("description").asText(""),
                column.path("priority").asInt(0), column.path("jsonPath").asText(""));
    }
}
