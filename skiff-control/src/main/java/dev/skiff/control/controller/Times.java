package dev.skiff.control.controller;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Kubernetes timestamps (RFC 3339, second precision as {@code metav1.Time} serializes). */
public final class Times {

    private Times() {
    }

    /** Parses a timestamp; {@code null} for null or malformed input. */
    public static Instant parse(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    public static String format(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
