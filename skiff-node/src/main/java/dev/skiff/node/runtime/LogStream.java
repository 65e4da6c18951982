package dev.skiff.node.runtime;

import java.util.Optional;

/**
 * A container's log lines, read one by one. Not thread-safe: one reader at a time. {@link #close()} may be called
 * from any thread and wakes a blocked reader.
 */
public interface LogStream extends AutoCloseable {

    /**
     * The next line, or empty once the stream has ended. Blocks the calling thread while following and no line is
     * available yet (use a virtual thread); without {@code follow} it only returns lines that exist already.
     *
     * @throws InterruptedException if the reading thread is interrupted while waiting
     */
    Optional<LogLine> next() throws InterruptedException;

    /** Ends the stream: later and blocked {@link #next()} calls answer empty. Idempotent. */
    @Override
    void close();
}
