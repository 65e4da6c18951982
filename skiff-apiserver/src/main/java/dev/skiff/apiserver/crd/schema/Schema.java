package dev.skiff.apiserver.crd.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One node of a structural schema (apiextensions' {@code Structural}): the structure (type, properties,
 * additionalProperties, items), the Kubernetes extensions, the default, and the value validations. Parsed from a
 * CRD's {@code openAPIV3Schema} after {@link StructuralCheck} accepted it; what the check rejects is not modelled.
 * Immutable.
 *
 * @param type                       "object", "array", "string", "integer", "number", "boolean", or "" (none)
 * @param format                     the format, "" when none
 * @param nullable                   whether null is a valid value
 * @param properties                 the named fields, in schema order
 * @param additionalProperties       the schema of map values; null when absent (or when only a boolean)
 * @param additionalPropertiesAllowed whether {@code additionalProperties} was given (a schema or {@code true})
 * @param items                      the schema of array items, or null
 * @param defaultValue               the default, or null
 * @param extensions                 the x-kubernetes-* extensions
 * @param constraints                the value validations
 */
public record Schema(String type, String format, boolean nullable, Map<String, Schema> properties,
        Schema additionalProperties, boolean additionalPropertiesAllowed, Schema items, JsonNode defaultValue,
        Extensions extensions, Constraints constraints) {

    /**
     * The Kubernetes vendor extensions.
     *
     * @param preserveUnknownFields {@code x-kubernetes-preserve-unknown-fields}
     * @param embeddedResource      {@code x-kubernetes-embedded-resource}
     * @param intOrString           {@code x-kubernetes-int-or-string}
     * @param listType              {@code x-kubernetes-list-type}, "" when absent
     * @param listMapKeys           {@code x-kubernetes-list-map-keys}
     */
    public record Extensions(boolean preserveUnknownFields, boolean embeddedResource, boolean intOrString,
            String listType, List<String> listMapKeys) {

        public Extensions {
            listMapKeys = List.copyOf(listMapKeys);
        }
    }

    /**
     * The value validations of OpenAPI v3 that CRDs allow. Null bounds are absent.
     */
    public record Constraints(List<String> required, List<JsonNode> enumValues, BigDecimal minimum,
            boolean exclusiveMinimum, BigDecimal maximum, boolean exclusiveMaximum, Long minLength, Long maxLength,
            Pattern pattern, Long minItems, Long maxItems, Long minProperties, Long maxProperties,
            BigDecimal multipleOf, List<Schema> allOf, List<Schema> anyOf, List<Schema> oneOf, Schema not) {

        public Constraints {
            required = List.copyOf(required);
            enumValues = List.copyOf(enumValues);
            allOf = List.copyOf(allOf);
            anyOf = List.copyOf(anyOf);
            oneOf = List.copyOf(oneOf);
        }
    }

    public Schema {
        properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        format = format == null ? "" : format;
        type = type == null ? "" : type;
    }

    /** The schema of field {@code name}: its property, else the additionalProperties schema, else null. */
    public Schema field(String name) {
        Schema property = properties.get(name);
        return property != null ? property : additionalProperties;
    }

    /** Whether {@code name} is a known field: a property, or any name when additionalProperties is given. */
    public boolean knows(String name) {
        return properties.containsKey(name) || additionalPropertiesAllowed;
    }

    /** Parses a (structural) JSONSchemaProps document; a missing or null node parses to null. */
    public static Schema parse(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || !node.isObject()) {
            return null;
        }
        Map<String, Schema> properties = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            properties.put(property.getKey(), parse(property.getValue()));
        }
        JsonNode additional = node.get("additionalProperties");
        boolean additionalAllowed = additional != null
                && (additional.isObject() || (additional.isBoolean() && additional.asBoolean()));
        Schema additionalSchema = additional != null && additional.isObject() ? parse(additional) : null;
        JsonNode defaultNode = node.get("default");
        Schema schema = new Schema(node.path("type").asText(""), node.path("format").asText(""),
                node.path("nullable").asBoolean(false), properties, additionalSchema, additionalAllowed,
                parse(node.get("items")), defaultNode == null ? null : defaultNode.deepCopy(),
                extensions(node), constraints(node));
        if (schema.defaultValue() != null) {
            // Upstream prunes defaults (structuraldefaulting.PruneDefaults) before serving: a default never
            // brings back a field the schema does not know.
            Pruner.prune(schema.defaultValue(), schema);
        }
        return schema;
    }

    private static Extensions extensions(JsonNode node) {
        List<String> keys = new java.util.ArrayList<>();
        node.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asText()));
        return new Extensions(node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false),
                node.path("x-kubernetes-embedded-resource").asBoolean(false),
                node.path("x-kubernetes-int-or-string").asBoolean(false),
                node.path("x-kubernetes-list-type").asText(""), keys);
    }

    private static Constraints constraints(JsonNode node) {
        List<String> required = new java.util.ArrayList<>();
        node.path("required").forEach(r -> required.add(r.asText()));
        List<JsonNode> enumValues = new java.util.ArrayList<>();
        node.path("enum").forEach(enumValues::add);
        return new Constraints(required, enumValues, decimal(node, "minimum"),
                node.path("exclusiveMinimum").asBoolean(false), decimal(node, "maximum"),
                node.path("exclusiveMaximum").asBoolean(false), number(node, "minLength"), number(node, "maxLength"),
                pattern(node.path("pattern").asText("")), number(node, "minItems"), number(node, "maxItems"),
                number(node, "minProperties"), number(node, "maxProperties"), decimal(node, "multipleOf"),
                list(node.path("allOf")), list(node.path("anyOf")), list(node.path("oneOf")), parse(node.get("not")));
    }

    private static List<Schema> list(JsonNode array) {
        List<Schema> schemas = new java.util.ArrayList<>();
        array.forEach(item -> schemas.add(parse(item)));
        return schemas;
    }

    private static BigDecimal decimal(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNumber() ? value.decimalValue() : null;
    }

    private static Long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNumber() ? value.asLong() : null;
    }

    /** Compiles an OpenAPI pattern; {@link StructuralCheck} has rejected those that do not compile. */
    static Pattern pattern(String regex) {
        if (regex.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return null;
        }
    }
}
