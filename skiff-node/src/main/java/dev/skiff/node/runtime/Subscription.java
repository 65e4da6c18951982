package dev.skiff.node.runtime;

/** A registered {@link InstanceListener}. */
public interface Subscription extends AutoCloseable {

    /**
     * Stops deliveries. Idempotent, non-blocking; an event being delivered may complete, no new delivery starts
     * afterwards.
     */
    void cancel();

    @Override
    default void close() {
        cancel();
    }
}
