package dev.skiff.apiserver.crd.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Whether a CRD's {@code openAPIV3Schema} is one apiextensions.k8s.io/v1 accepts: the OpenAPI keywords CRDs allow
 * ({@code ValidateCustomResourceDefinitionOpenAPISchema}), a <em>structural</em> schema
 * ({@code ValidateStructural}: a type on every specified node unless {@code x-kubernetes-int-or-string} or
 * {@code x-kubernetes-preserve-unknown-fields}; no additionalProperties at the root or next to properties; the
 * value validations allOf/anyOf/oneOf/not carry no structure; root metadata restricts only name and generateName),
 * consistent list-type extensions, and defaults that validate against their own schema. Errors name schema paths,
 * e.g. {@code spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for
 * specified object fields}, as upstream's. Stateless.
 */
public final class StructuralCheck {

    private enum Level { ROOT, ITEM, FIELD }

    private static final List<String> TYPES = List.of("array", "boolean", "integer", "number", "object", "string");
    private static final List<String> UNSUPPORTED = List.of("id", "$schema", "additionalItems", "patternProperties",
            "definitions", "dependencies", "$ref");
    private static final Set<String> METADATA_ALLOWED = Set.of("name", "generateName");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StructuralCheck() {
    }

    /** Every problem of {@code schema}, the {@code openAPIV3Schema} at {@code path}; empty when acceptable. */
    public static List<FieldError> check(JsonNode schema, String path) {
        List<FieldError> errors = new java.util.ArrayList<>();
        if (schema == null || !schema.isObject()) {
            errors.add(FieldError.required(path, "schemas are required"));
            return errors;
        }
        structural(schema, Level.ROOT, path, "", errors);
        return errors;
    }

    private static void structural(JsonNode node, Level level, String path, String dataPath,
            List<FieldError> errors) {
        if (!node.isObject()) {
            errors.add(FieldError.invalid(path, node, "must be a schema object"));
            return;
        }
        keywords(node, path, errors);
        String type = node.path("type").asText("");
        boolean preserve = node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        boolean intOrString = node.path("x-kubernetes-int-or-string").asBoolean(false);
        boolean embedded = node.path("x-kubernetes-embedded-resource").asBoolean(false);
        JsonNode items = node.get("items");
        if (type.equals("array") && items == null) {
            errors.add(FieldError.required(FieldPath.child(path, "items"), "must be specified"));
        }
        if (items != null && items.isObject()) {
            structural(items, Level.ITEM, FieldPath.child(path, "items"), FieldPath.index(dataPath, 0), errors);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            String propertyPath = FieldPath.key(FieldPath.child(path, "properties"), property.getKey());
            if (property.getKey().equals("metadata") && level == Level.ROOT) {
                rootMetadata(property.getValue(), propertyPath, errors);
                continue;
            }
            structural(property.getValue(), Level.FIELD, propertyPath, FieldPath.child(dataPath, property.getKey()),
                    errors);
        }
        JsonNode additional = node.get("additionalProperties");
        if (additional != null) {
            if (level == Level.ROOT) {
                errors.add(FieldError.forbidden(FieldPath.child(path, "additionalProperties"),
                        "must not be used at the root"));
            }
            if (embedded) {
                errors.add(FieldError.forbidden(FieldPath.child(path, "additionalProperties"),
                        "must not be used if x-kubernetes-embedded-resource is set"));
            }
            if (additional.isObject()) {
                structural(additional, Level.FIELD, FieldPath.child(path, "additionalProperties"), dataPath, errors);
            }
        }
        if (intOrString && preserve) {
            errors.add(FieldError.invalid(FieldPath.child(path, "x-kubernetes-preserve-unknown-fields"),
                    BooleanNode.TRUE, "must be false if x-kubernetes-int-or-string is true"));
        }
        if (intOrString && embedded) {
            errors.add(FieldError.invalid(FieldPath.child(path, "x-kubernetes-embedded-resource"), BooleanNode.TRUE,
                    "must be false if x-kubernetes-int-or-string is true"));
        }
        valueValidations(node, path, errors);
        typeRules(node, level, path, type, preserve, intOrString, embedded, errors);
        defaultValue(node, path, dataPath, errors);
    }

    private static void typeRules(JsonNode node, Level level, String path, String type, boolean preserve,
            boolean intOrString, boolean embedded, List<FieldError> errors) {
        String typePath = FieldPath.child(path, "type");
        if (embedded && !type.equals("object")) {
            String detail = "must be object if x-kubernetes-embedded-resource is true";
            errors.add(type.isEmpty() ? FieldError.required(typePath, detail)
                    : FieldError.invalid(typePath, type, detail));
        } else if (type.isEmpty() && !intOrString && !preserve) {
            errors.add(FieldError.required(typePath, switch (level) {
                case ROOT -> "must not be empty at the root";
                case ITEM -> "must not be empty for specified array items";
                case FIELD -> "must not be empty for specified object fields";
            }));
        }
        if (level == Level.ROOT && !type.isEmpty() && !type.equals("object")) {
            errors.add(FieldError.invalid(typePath, type, "must be object at the root"));
        }
        if (level == Level.ROOT || embedded) {
            for (String meta : List.of("kind", "apiVersion")) {
                JsonNode property = node.path("properties").get(meta);
                if (property != null && !property.path("type").asText("").equals("string")) {
                    errors.add(FieldError.invalid(FieldPath.child(FieldPath.key(FieldPath.child(path, "properties"),
                            meta), "type"), property.path("type").asText(""), "must be string"));
                }
            }
        }
        if (embedded && !preserve && node.path("properties").isEmpty()) {
            errors.add(FieldError.required(FieldPath.child(path, "properties"),
                    "must not be empty if x-kubernetes-embedded-resource is true without "
                            + "x-kubernetes-preserve-unknown-fields"));
        }
    }

    /** At the root, metadata is implicitly ObjectMeta: a schema may only restrict name and generateName. */
    private static void rootMetadata(JsonNode node, String path, List<FieldError> errors) {
        if (!node.path("type").asText("").equals("object")) {
            errors.add(FieldError.invalid(FieldPath.child(path, "type"), node.path("type").asText(""),
                    "must be object"));
        }
        boolean onlyNames = true;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String keyword = it.next();
            if (!keyword.equals("type") && !keyword.equals("properties") && !keyword.equals("default")) {
                onlyNames = false;
            }
        }
        for (Iterator<String> it = node.path("properties").fieldNames(); it.hasNext(); ) {
            if (!METADATA_ALLOWED.contains(it.next())) {
                onlyNames = false;
            }
        }
        if (!onlyNames) {
            errors.add(FieldError.forbidden(path, "must not specify anything other than name and generateName, "
                    + "but metadata is implicitly specified"));
        }
        keywords(node, path, errors);
    }

    /** The OpenAPI keywords apiextensions v1 refuses or restricts, on any schema node. */
    private static void keywords(JsonNode node, String path, List<FieldError> errors) {
        JsonNode type = node.get("type");
        if (type != null) {
            if (type.asText().equals("null")) {
                errors.add(FieldError.forbidden(FieldPath.child(path, "type"),
                        "type cannot be set to null, use nullable as an alternative"));
            } else if (!TYPES.contains(type.asText())) {
                errors.add(FieldError.notSupported(FieldPath.child(path, "type"), type, TYPES));
            }
        }
        for (String keyword : UNSUPPORTED) {
            if (node.has(keyword)) {
                errors.add(FieldError.forbidden(FieldPath.child(path, keyword), keyword + " is not supported"));
            }
        }
        if (node.path("items").isArray()) {
            errors.add(FieldError.forbidden(FieldPath.child(path, "items"),
                    "items must be a schema object and not an array"));
        }
        if (node.path("uniqueItems").asBoolean(false)) {
            errors.add(FieldError.forbidden(FieldPath.child(path, "uniqueItems"),
                    "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
        }
        JsonNode additional = node.get("additionalProperties");
        if (additional != null && !node.path("properties").isEmpty()
                && (additional.isObject() || !additional.asBoolean(true))) {
            errors.add(FieldError.forbidden(FieldPath.child(path, "additionalProperties"),
                    "additionalProperties and properties are mutual exclusive"));
        }
        JsonNode preserve = node.get("x-kubernetes-preserve-unknown-fields");
        if (preserve != null && !preserve.asBoolean(false)) {
            errors.add(FieldError.invalid(FieldPath.child(path, "x-kubernetes-preserve-unknown-fields"), preserve,
                    "must be true or undefined"));
        }
        String pattern = node.path("pattern").asText("");
        if (!pattern.isEmpty()) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                errors.add(FieldError.invalid(FieldPath.child(path, "pattern"), pattern,
                        "must be a valid regular expression, but isn't: " + e.getDescription()));
            }
        }
        listType(node, path, errors);
    }

    private static void listType(JsonNode node, String path, List<FieldError> errors) {
        String listType = node.path("x-kubernetes-list-type").asText("");
        JsonNode keys = node.path("x-kubernetes-list-map-keys");
        String keysPath = FieldPath.child(path, "x-kubernetes-list-map-keys");
        if (!keys.isMissingNode() && !keys.isEmpty() && !listType.equals("map")) {
            errors.add(FieldError.forbidden(keysPath, "must only be set if x-kubernetes-list-type is map"));
        }
        if (listType.isEmpty()) {
            return;
        }
        if (!List.of("atomic", "map", "set").contains(listType)) {
            errors.add(FieldError.notSupported(FieldPath.child(path, "x-kubernetes-list-type"),
                    NODES.textNode(listType), List.of("atomic", "map", "set")));
            return;
        }
        String type = node.path("type").asText("");
        if (!type.equals("array")) {
            errors.add(FieldError.invalid(FieldPath.child(path, "type"), type,
                    "must be array if x-kubernetes-list-type is specified"));
            return;
        }
        JsonNode items = node.path("items");
        String itemsType = items.path("type").asText("");
        if (listType.equals("map")) {
            if (keys.isMissingNode() || keys.isEmpty()) {
                errors.add(FieldError.required(keysPath, "must not be empty if x-kubernetes-list-type is map"));
            }
            if (!itemsType.equals("object")) {
                errors.add(FieldError.invalid(FieldPath.child(FieldPath.child(path, "items"), "type"), itemsType,
                        "must be object if parent array's x-kubernetes-list-type is map"));
            }
            for (JsonNode key : keys) {
                if (!items.path("properties").has(key.asText())) {
                    errors.add(FieldError.invalid(keysPath, keys, "entries must all be names of item properties"));
                    break;
                }
            }
        } else if (listType.equals("set") && itemsType.equals("object")
                && !items.path("x-kubernetes-map-type").asText("").equals("atomic")) {
            errors.add(FieldError.invalid(FieldPath.child(FieldPath.child(path, "items"), "x-kubernetes-map-type"),
                    items.path("x-kubernetes-map-type").asText(""),
                    "must be atomic as item of a list with x-kubernetes-list-type=set"));
        }
    }

    /** allOf, anyOf, oneOf and not may only validate values; the int-or-string anyOf pattern is the exception. */
    private static void valueValidations(JsonNode node, String path, List<FieldError> errors) {
        boolean intOrStringAnyOf = intOrStringPattern(node.path("anyOf"));
        JsonNode allOf = node.path("allOf");
        for (int i = 0; i < allOf.size(); i++) {
            boolean skipAnyOf = i == 0 && intOrStringPattern(allOf.get(i).path("anyOf"));
            nested(allOf.get(i), FieldPath.index(FieldPath.child(path, "allOf"), i), skipAnyOf, errors);
        }
        if (!intOrStringAnyOf) {
            JsonNode anyOf = node.path("anyOf");
            for (int i = 0; i < anyOf.size(); i++) {
                nested(anyOf.get(i), FieldPath.index(FieldPath.child(path, "anyOf"), i), false, errors);
            }
        }
        JsonNode oneOf = node.path("oneOf");
        for (int i = 0; i < oneOf.size(); i++) {
            nested(oneOf.get(i), FieldPath.index(FieldPath.child(path, "oneOf"), i), false, errors);
        }
        if (node.has("not")) {
            nested(node.get("not"), FieldPath.child(path, "not"), false, errors);
        }
    }

    private static boolean intOrStringPattern(JsonNode anyOf) {
        return anyOf.size() == 2 && anyOf.get(0).size() == 1 && anyOf.get(1).size() == 1
                && anyOf.get(0).path("type").asText("").equals("integer")
                && anyOf.get(1).path("type").asText("").equals("string");
    }

    private static final List<String[]> NOT_IN_VALUE_VALIDATION = List.of(
            new String[] {"type", "must be empty to be structural"},
            new String[] {"default", "must be undefined to be structural"},
            new String[] {"title", "must be empty to be structural"},
            new String[] {"description", "must be empty to be structural"},
            new String[] {"externalDocs", "must be undefined to be structural"},
            new String[] {"additionalProperties", "must be undefined to be structural"},
            new String[] {"x-kubernetes-list-map-keys", "must be empty to be structural"},
            new String[] {"x-kubernetes-list-type", "must be undefined to be structural"},
            new String[] {"x-kubernetes-map-type", "must be undefined to be structural"},
            new String[] {"x-kubernetes-validations", "must be empty to be structural"});

    private static final List<String> FALSE_IN_VALUE_VALIDATION = List.of("nullable",
            "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string");

    private static void nested(JsonNode node, String path, boolean skipAnyOf, List<FieldError> errors) {
        if (!node.isObject()) {
            return;
        }
        keywords(node, path, errors);
        for (String[] rule : NOT_IN_VALUE_VALIDATION) {
            if (node.has(rule[0])) {
                errors.add(FieldError.forbidden(FieldPath.child(path, rule[0]), rule[1]));
            }
        }
        for (String flag : FALSE_IN_VALUE_VALIDATION) {
            if (node.path(flag).asBoolean(false)) {
                errors.add(FieldError.forbidden(FieldPath.child(path, flag), "must be false to be structural"));
            }
        }
        if (node.path("properties").has("metadata")) {
            errors.add(FieldError.forbidden(FieldPath.key(FieldPath.child(path, "properties"), "metadata"),
                    "must not be specified in a nested context"));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            nested(property.getValue(), FieldPath.key(FieldPath.child(path, "properties"), property.getKey()), false,
                    errors);
        }
        if (node.has("items")) {
            nested(node.get("items"), FieldPath.child(path, "items"), false, errors);
        }
        JsonNode allOf = node.path("allOf");
        for (int i = 0; i < allOf.size(); i++) {
            nested(allOf.get(i), FieldPath.index(FieldPath.child(path, "allOf"), i), false, errors);
        }
        if (!skipAnyOf) {
            JsonNode anyOf = node.path("anyOf");
            for (int i = 0; i < anyOf.size(); i++) {
                nested(anyOf.get(i), FieldPath.index(FieldPath.child(path, "anyOf"), i), false, errors);
            }
        }
        JsonNode oneOf = node.path("oneOf");
        for (int i = 0; i < oneOf.size(); i++) {
            nested(oneOf.get(i), FieldPath.index(FieldPath.child(path, "oneOf"), i), false, errors);
        }
        if (node.has("not")) {
            nested(node.get("not"), FieldPath.child(path, "not"), false, errors);
        }
    }

    /** A default must itself be valid (after pruning, as upstream prunes defaults before serving them). */
    private static void defaultValue(JsonNode node, String path, String dataPath, List<FieldError> errors) {
        JsonNode value = node.get("default");
        if (value == null) {
            return;
        }
        Schema schema = Schema.parse(node);
        JsonNode pruned = value.deepCopy();
        Pruner.prune(pruned, schema);
        for (FieldError error : SchemaValidator.validate(pruned, schema, dataPath)) {
            errors.add(new FieldError(error.type(), FieldPath.child(path, "default"), error.value(), error.detail()));
        }
    }
}
