package dev.skiff.apiserver.crd.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Validates a value against a structural schema as kube-apiserver validates custom resources (kube-openapi's schema
 * validator, with apiextensions' translation of its results into field errors): type, nullable, enum, numeric
 * bounds, string length and pattern, formats, item counts, required fields, list types, embedded resources, and the
 * allOf/anyOf/oneOf/not value validations. Messages are upstream's, e.g. {@code spec.replicas: Invalid value:
 * "string": spec.replicas in body must be of type integer: "string"}. Stateless; thread-safe.
 */
public final class SchemaValidator {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SchemaValidator() {
    }

    /** Validates {@code value} (the root at {@code path}) against {@code schema}; empty when valid. */
    public static List<FieldError> validate(JsonNode value, Schema schema, String path) {
        List<FieldError> errors = new ArrayList<>();
        validate(value, schema, path, errors);
        return errors;
    }

    private static void validate(JsonNode value, Schema schema, String path, List<FieldError> errors) {
        if (schema == null || value == null || value.isMissingNode()) {
            return;
        }
        if (value.isNull()) {
            if (!schema.nullable() && (!schema.type().isEmpty() || schema.extensions().intOrString())) {
                errors.add(typeError(path, schema.extensions().intOrString() ? "integer,string" : schema.type(),
                        "null"));
            }
            return;
        }
        if (!typeMatches(value, schema, path, errors)) {
            return;
        }
        Schema.Constraints c = schema.constraints();
        if (!c.enumValues().isEmpty() && c.enumValues().stream().noneMatch(e -> same(e, value))) {
            errors.add(FieldError.notSupported(path, value,
                    c.enumValues().stream().map(e -> e.isTextual() ? e.asText() : e.toString()).toList()));
        }
        if (value.isNumber()) {
            numeric(value, c, path, errors);
        } else if (value.isTextual()) {
            text(value.asText(), schema, path, errors);
        } else if (value.isArray()) {
            array(value, schema, path, errors);
        } else if (value.isObject()) {
            object(value, schema, path, errors);
        }
        combinators(value, schema, path, errors);
    }

    private static boolean typeMatches(JsonNode value, Schema schema, String path, List<FieldError> errors) {
        String actual = typeOf(value);
        if (schema.extensions().intOrString()) {
            if (!actual.equals("integer") && !actual.equals("string")) {
                errors.add(typeError(path, "integer,string", actual));
                return false;
            }
            return true;
        }
        String expected = schema.type();
        boolean ok = switch (expected) {
            case "" -> true;
            case "number" -> value.isNumber();
            default -> expected.equals(actual);
        };
        if (!ok) {
            errors.add(typeError(path, expected, actual));
        }
        return ok;
    }

    /** The JSON type go-openapi reports: a number without a fraction is an integer. */
    static String typeOf(JsonNode value) {
        if (value.isTextual()) {
            return "string";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        if (value.isObject()) {
            return "object";
        }
        if (value.isArray()) {
            return "array";
        }
        if (value.isNumber()) {
            if (value.isIntegralNumber()) {
                return "integer";
            }
            BigDecimal decimal = value.decimalValue();
            return decimal.stripTrailingZeros().scale() <= 0 ? "integer" : "number";
        }
        return "null";
    }

    private static FieldError typeError(String path, String expected, String actual) {
        return new FieldError(FieldError.Type.TYPE_INVALID, path, NODES.textNode(actual),
                inBody(path) + " must be of type " + expected + ": " + FieldError.quote(actual));
    }

    private static void numeric(JsonNode value, Schema.Constraints c, String path, List<FieldError> errors) {
        BigDecimal number = value.decimalValue();
        if (c.minimum() != null) {
            int cmp = number.compareTo(c.minimum());
            if (c.exclusiveMinimum() ? cmp <= 0 : cmp < 0) {
                errors.add(FieldError.invalid(path, value, inBody(path) + " should be greater than "
                        + (c.exclusiveMinimum() ? "" : "or equal to ") + plain(c.minimum())));
            }
        }
        if (c.maximum() != null) {
            int cmp = number.compareTo(c.maximum());
            if (c.exclusiveMaximum() ? cmp >= 0 : cmp > 0) {
                errors.add(FieldError.invalid(path, value, inBody(path) + " should be less than "
                        + (c.exclusiveMaximum() ? "" : "or equal to ") + plain(c.maximum())));
            }
        }
        if (c.multipleOf() != null && c.multipleOf().signum() > 0
                && number.remainder(c.multipleOf()).signum() != 0) {
            errors.add(FieldError.invalid(path, value, inBody(path) + " should be a multiple of "
                    + plain(c.multipleOf())));
        }
    }

    private static void text(String text, Schema schema, String path, List<FieldError> errors) {
        Schema.Constraints c = schema.constraints();
        long length = text.codePointCount(0, text.length());
        JsonNode value = NODES.textNode(text);
        if (c.minLength() != null && length < c.minLength()) {
            errors.add(FieldError.invalid(path, value, inBody(path) + " should be at least " + c.minLength()
                    + " chars long"));
        }
        if (c.maxLength() != null && length > c.maxLength()) {
            errors.add(new FieldError(FieldError.Type.TOO_LONG, path, value, "may not be more than "
                    + c.maxLength() + (c.maxLength() == 1 ? " byte" : " bytes")));
        }
        if (c.pattern() != null && !c.pattern().matcher(text).find()) {
            errors.add(FieldError.invalid(path, value, inBody(path) + " should match '" + c.pattern().pattern()
                    + "'"));
        }
        if (!schema.format().isEmpty() && !Formats.valid(schema.format(), text)) {
            errors.add(FieldError.invalid(path, value, inBody(path) + " must be of type " + schema.format()
                    + ": " + FieldError.quote(text)));
        }
    }

    private static void array(JsonNode array, Schema schema, String path, List<FieldError> errors) {
        Schema.Constraints c = schema.constraints();
        if (c.minItems() != null && array.size() < c.minItems()) {
            errors.add(FieldError.invalid(path, array, inBody(path) + " should have at least " + c.minItems()
                    + " items"));
        }
        if (c.maxItems() != null && array.size() > c.maxItems()) {
            errors.add(new FieldError(FieldError.Type.TOO_MANY, path, NODES.numberNode(array.size()),
                    "must have at most " + c.maxItems() + " items"));
        }
        for (int i = 0; i < array.size(); i++) {
            validate(array.get(i), schema.items(), FieldPath.index(path, i), errors);
        }
        ListTypes.validate(array, schema, path, errors);
    }

    private static void object(JsonNode object, Schema schema, String path, List<FieldError> errors) {
        Schema.Constraints c = schema.constraints();
        for (String required : c.required()) {
            if (!object.has(required)) {
                errors.add(FieldError.required(FieldPath.child(path, required), ""));
            }
        }
        if (c.minProperties() != null && object.size() < c.minProperties()) {
            errors.add(FieldError.invalid(path, object, inBody(path) + " should have at least "
                    + c.minProperties() + " properties"));
        }
        if (c.maxProperties() != null && object.size() > c.maxProperties()) {
            errors.add(new FieldError(FieldError.Type.TOO_MANY, path, NODES.numberNode(object.size()),
                    "must have at most " + c.maxProperties() + " items"));
        }
        if (schema.extensions().embeddedResource()) {
            embeddedResource(object, path, errors);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            validate(field.getValue(), schema.field(field.getKey()), FieldPath.child(path, field.getKey()), errors);
        }
    }

    /** An embedded resource needs its type meta (apiextensions' objectmeta validation); metadata may be absent. */
    private static void embeddedResource(JsonNode object, String path, List<FieldError> errors) {
        for (String field : List.of("apiVersion", "kind")) {
            JsonNode value = object.get(field);
            String child = FieldPath.child(path, field);
            if (value == null) {
                errors.add(FieldError.required(child, "must not be empty"));
            } else if (!value.isTextual()) {
                errors.add(FieldError.invalid(child, value, "must be a string"));
            } else if (value.asText().isEmpty()) {
                errors.add(FieldError.invalid(child, value, "must not be empty"));
            }
        }
    }

    private static void combinators(JsonNode value, Schema schema, String path, List<FieldError> errors) {
        Schema.Constraints c = schema.constraints();
        for (Schema all : c.allOf()) {
            validate(value, all, path, errors);
        }
        // x-kubernetes-int-or-string's anyOf [integer, string] is what the type check above already enforced.
        if (!c.anyOf().isEmpty() && !schema.extensions().intOrString()
                && c.anyOf().stream().noneMatch(s -> validate(value, s, path).isEmpty())) {
            errors.add(FieldError.invalid(path, value, inBody(path) + " must validate at least one schema "
                    + "(anyOf)"));
        }
        if (!c.oneOf().isEmpty() && c.oneOf().stream().filter(s -> validate(value, s, path).isEmpty()).count() != 1) {
            errors.add(FieldError.invalid(path, value, inBody(path) + " must validate one and only one schema "
                    + "(oneOf)"));
        }
        if (c.not() != null && validate(value, c.not(), path).isEmpty()) {
            errors.add(FieldError.invalid(path, value, inBody(path) + " must not validate the schema (not)"));
        }
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static String plain(BigDecimal number) {
        return number.stripTrailingZeros().toPlainString();
    }

    /** How go-openapi's messages start: "spec.replicas in body", or just "in body" for the root. */
    private static String inBody(String path) {
        return path.isEmpty() ? "in body" : path + " in body";
    }
}
