package dev.skiff.apiserver.service;

import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.status.Status;
import java.util.ArrayList;
import java.util.List;

/** Collects field errors worded as upstream's {@code field.Error}s and throws them as one 422 for a Service. */
final class FieldErrors {

    private final List<Status.Cause> causes = new ArrayList<>();

    /** {@code Invalid value: <value>: <detail>}, with {@code value} already printed (see {@link GoValues}). */
    FieldErrors invalid(String field, String value, String detail) {
        causes.add(new Status.Cause("FieldValueInvalid", "Invalid value: " + value + ": " + detail, field));
        return this;
    }

    FieldErrors required(String field) {
        causes.add(new Status.Cause("FieldValueRequired", "Required value", field));
        return this;
    }

    FieldErrors forbidden(String field, String detail) {
        causes.add(new Status.Cause("FieldValueForbidden", "Forbidden: " + detail, field));
        return this;
    }

    FieldErrors duplicate(String field, String value) {
        causes.add(new Status.Cause("FieldValueDuplicate", "Duplicate value: " + value, field));
        return this;
    }

    /** {@code Unsupported value: "x": supported values: "a", "b"}. */
    FieldErrors notSupported(String field, String value, List<String> supported) {
        causes.add(new Status.Cause("FieldValueNotSupported", "Unsupported value: " + GoValues.quoted(value)
                + ": supported values: " + String.join(", ", supported.stream().map(GoValues::quoted).toList()),
                field));
        return this;
    }

    boolean isEmpty() {
        return causes.isEmpty();
    }

    /** Throws 422 {@code Service "<name>" is invalid: ...} if any error was collected. */
    void throwIfAny(String name) {
        if (!causes.isEmpty()) {
            throw ApiException.invalid("", "Service", name, List.copyOf(causes));
        }
    }

    /** A single 422. */
    static ApiException single(String name, FieldErrors errors) {
        return ApiException.invalid("", "Service", name, List.copyOf(errors.causes));
    }
}
