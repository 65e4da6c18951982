package dev.skiff.node.runtime;

import java.time.Instant;

/**
 * Which log lines of a container to read, as the query of {@code GET /api/v1/namespaces/{ns}/pods/{name}/log}.
 *
 * @param tailLines  only the last this many lines (before following); negative: all
 * @param sinceTime  only lines written at or after this instant, or null for all ({@code sinceSeconds} is converted
 *                   by the caller)
 * @param follow     keep the stream open and deliver new lines until the container exits or the stream is closed
 * @param previous   read the previous (terminated) attempt of a restarted container instead of the current one
 * @param limitBytes stop after this many bytes of line text; 0 or negative: no limit
 */
public record LogOptions(int tailLines, Instant sinceTime, boolean follow, boolean previous, long limitBytes) {

    /** Every line of the current attempt, then end. */
    public static final LogOptions ALL = new LogOptions(-1, null, false, false, 0);

    public LogOptions withTail(int lines) {
        return new LogOptions(lines, sinceTime, follow, previous, limitBytes);
    }

    public LogOptions withSince(Instant since) {
        return new LogOptions(tailLines, since, follow, previous, limitBytes);
    }

    public LogOptions following() {
        return new LogOptions(tailLines, sinceTime, true, previous, limitBytes);
    }

    public LogOptions ofPrevious() {
        return new LogOptions(tailLines, sinceTime, follow, true, limitBytes);
    }
}
