package dev.skiff.node.runtime;

import java.time.Instant;
import java.util.Objects;

/**
 * One line a container wrote, with the time the runtime captured it (what {@code kubectl logs --timestamps} prints).
 *
 * @param text the line without its line break
 */
public record LogLine(Instant timestamp, Stream stream, String text) {

    /** Which output the line came from. */
    public enum Stream { STDOUT, STDERR }

    public LogLine {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(text, "text");
    }
}
