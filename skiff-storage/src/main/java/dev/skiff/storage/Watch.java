package dev.skiff.storage;

/** A running watch. */
public interface Watch extends AutoCloseable {

    /**
     * Stops the watch. Idempotent and non-blocking; the listener then receives {@link WatchEnd.Cancelled} unless it
     * already received another end.
     */
    void cancel();

    @Override
    default void close() {
        cancel();
    }
}
