package dev.skiff.apiserver.crd.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.skiff.apiserver.status.Status;
import java.util.Objects;

/**
 * One field-level error, as apimachinery's {@code field.Error}: a type (which fixes the cause's reason and the first
 * words of its message), the field path, the offending value and a detail. {@link #message()} renders upstream's
 * {@code ErrorBody()}: {@code Invalid value: "x": must be ...}, {@code Required value}, {@code Forbidden: ...}.
 *
 * @param type   the kind of error
 * @param field  the field path, e.g. {@code spec.replicas} or {@code spec.versions[0].name}
 * @param value  the bad value (null for types that print none, or when there is none)
 * @param detail the explanation, may be empty
 */
public record FieldError(Type type, String field, JsonNode value, String detail) {

    /** Upstream's error types: the Status cause reason and how the message starts. */
    public enum Type {
        REQUIRED("FieldValueRequired", "Required value", false),
        INVALID("FieldValueInvalid", "Invalid value", true),
        TYPE_INVALID("FieldValueTypeInvalid", "Invalid value", true),
        NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value", true),
        FORBIDDEN("FieldValueForbidden", "Forbidden", false),
        DUPLICATE("FieldValueDuplicate", "Duplicate value", true),
        TOO_LONG("FieldValueTooLong", "Too long", false),
        TOO_MANY("FieldValueTooMany", "Too many", true);

        private final String reason;
        private final String words;
        private final boolean showsValue;

        Type(String reason, String words, boolean showsValue) {
            this.reason = reason;
            this.words = words;
            this.showsValue = showsValue;
        }

        public String reason() {
            return reason;
        }
    }

    public FieldError {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(field, "field");
        detail = detail == null ? "" : detail;
    }

    public static FieldError required(String field, String detail) {
        return new FieldError(Type.REQUIRED, field, null, detail);
    }

    public static FieldError invalid(String field, JsonNode value, String detail) {
        return new FieldError(Type.INVALID, field, value, detail);
    }

    public static FieldError invalid(String field, String value, String detail) {
        return invalid(field, JsonNodeFactory.instance.textNode(value), detail);
    }

    public static FieldError forbidden(String field, String detail) {
        return new FieldError(Type.FORBIDDEN, field, null, detail);
    }

    /** {@code Unsupported value: "x": supported values: "a", "b"}. */
    public static FieldError notSupported(String field, JsonNode value, java.util.List<String> supported) {
        StringBuilder detail = new StringBuilder("supported values: ");
        for (int i = 0; i < supported.size(); i++) {
            detail.append(i == 0 ? "" : ", ").append(quote(supported.get(i)));
        }
        return new FieldError(Type.NOT_SUPPORTED, field, value, detail.toString());
    }

    public static FieldError duplicate(String field, JsonNode value) {
        return new FieldError(Type.DUPLICATE, field, value, "");
    }

    /** Upstream's {@code ErrorBody()}: the type's words, the value where the type shows one, then the detail. */
    public String message() {
        StringBuilder out = new StringBuilder(type.words);
        if (type.showsValue) {
            out.append(": ").append(render(value));
        }
        if (!detail.isEmpty()) {
            out.append(": ").append(detail);
        }
        return out.toString();
    }

    /** The error as a Status cause, as kube-apiserver reports it in {@code details.causes}. */
    public Status.Cause toCause() {
        return new Status.Cause(type.reason, message(), field);
    }

    @Override
    public String toString() {
        return field + ": " + message();
    }

    /**
     * As apimachinery prints bad values: simple values plainly, strings quoted, anything else as JSON (so a nil list
     * is {@code null}); a missing value prints as the quoted string "null".
     */
    static String render(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "\"null\"";
        }
        if (value.isTextual()) {
            return quote(value.asText());
        }
        return value.toString();
    }

    /** A Go {@code %q}-like quoting: JSON string escaping is the same for the characters that matter here. */
    public static String quote(String text) {
        return JsonNodeFactory.instance.textNode(text).toString();
    }
}
