package dev.skiff.apiserver.cache;

import dev.skiff.apiserver.registry.ObjectEvent;

/**
 * Receives the events of one watch served from the cache. Called from one thread at a time. {@link #send} and
 * {@link #bookmark} may hold events back to write several at once; the cache calls {@link #flush} whenever it has no
 * further event queued for this watch, so nothing waits behind an idle moment.
 */
public interface CacheSink {

    /** Sends one event; returns false when the client is gone. */
    boolean send(ObjectEvent.Type type, CachedObject object, long revision);

    /**
     * Sends a BOOKMARK: the client has seen every change up to {@code revision}; {@code initialEventsEnd} marks the
     * one that closes the initial state of a {@code sendInitialEvents} watch. Returns false when the client is gone.
     */
    default boolean bookmark(long revision, boolean initialEventsEnd) {
        return true;
    }

    /** Writes whatever {@link #send} and {@link #bookmark} held back; returns false when the client is gone. */
    default boolean flush() {
        return true;
    }

    /** The watch ended; {@code tooSlow} when the cache dropped it for falling behind. */
    void ended(boolean tooSlow);
}
