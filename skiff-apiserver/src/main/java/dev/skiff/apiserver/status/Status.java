package dev.skiff.apiserver.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * A {@code meta/v1 Status}: the body of every error response (and of a few successful deletes).
 *
 * @param status  "Success" or "Failure"
 * @param message human-readable description
 * @param reason  machine-readable reason, e.g. "NotFound", "AlreadyExists", "Invalid"
 * @param details what the error is about, possibly null
 * @param code    the HTTP status code
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"kind", "apiVersion", "metadata", "status", "message", "reason", "details", "code"})
public record Status(String status, String message, String reason, Details details, int code) {

    public String getKind() {
        return "Status";
    }

    public String getApiVersion() {
        return "v1";
    }

    public Map<String, Object> getMetadata() {
        return Map.of();
    }

    /**
     * @param name   the object's name, if any
     * @param group  the API group
     * @param kind   the resource (for most errors) or kind (for Invalid)
     * @param uid    the object's uid, if known
     * @param causes field-level causes
     * @param retryAfterSeconds when to retry, for 429/5xx
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Details(String name, String group, String kind, String uid, List<Cause> causes,
            Integer retryAfterSeconds) {

        public Details {
            causes = causes == null ? List.of() : List.copyOf(causes);
        }
    }

    /**
     * One field-level problem.
     *
     * @param reason  e.g. "FieldValueRequired", "FieldValueInvalid", "FieldValueNotSupported"
     * @param message what is wrong
     * @param field   the JSON path of the field, e.g. "metadata.name"
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Cause(String reason, String message, String field) {
    }
}
