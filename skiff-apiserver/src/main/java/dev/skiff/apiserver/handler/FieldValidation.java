package dev.skiff.apiserver.handler;

import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.status.Status;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code fieldValidation} query parameter of create, update and patch: what to do about fields the server
 * drops. {@code Strict} fails with 400 ({@code strict decoding error: unknown field "spec.foo"}), {@code Warn} (the
 * server's default, as upstream's) adds one {@code Warning} header per field, {@code Ignore} drops them silently.
 * kubectl sends {@code Strict} unless told {@code --validate=false}.
 */
public enum FieldValidation {
    IGNORE, WARN, STRICT;

    /** The request's directive; 422 for a value upstream does not know, as its CreateOptions validation. */
    public static FieldValidation of(Exchange exchange) {
        String value = exchange.param("fieldValidation");
        if (value == null || value.isEmpty()) {
            return WARN;
        }
        return switch (value) {
            case "Ignore" -> IGNORE;
            case "Warn" -> WARN;
            case "Strict" -> STRICT;
            default -> throw new ApiException(new Status("Failure", "fieldValidation: Unsupported value: \""
                    + value + "\": supported values: \"Ignore\", \"Warn\", \"Strict\"", "Invalid",
                    new Status.Details("", "meta.k8s.io", "CreateOptions", null, List.of(new Status.Cause(
                            "FieldValueNotSupported", "Unsupported value: \"" + value
                            + "\": supported values: \"Ignore\", \"Warn\", \"Strict\"", "fieldValidation")), null),
                    422));
        };
    }

    /**
     * Acts on the fields {@code unknown} that decoding dropped. {@code prefix} starts a Strict error: upstream says
     * {@code CronTab in version "v1" cannot be handled as a CronTab: } for a create or update body and nothing for a
     * patch.
     */
    public void report(List<String> unknown, Exchange exchange, String prefix) {
        if (unknown.isEmpty() || this == IGNORE) {
            return;
        }
        List<String> messages = unknown.stream().map(path -> "unknown field \"" + path + "\"").toList();
        if (this == WARN) {
            messages.forEach(exchange::warn);
            return;
        }
        throw ApiException.badRequest(prefix + "strict decoding error: "
                + messages.stream().collect(Collectors.joining(", ")));
    }

    /** How upstream's create and update handlers start a decoding error for {@code type}. */
    public static String decodingPrefix(ResourceType type) {
        return type.kind() + " in version \"" + type.version() + "\" cannot be handled as a " + type.kind() + ": ";
    }
}
