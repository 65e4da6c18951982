package dev.skiff.apiserver.cache;

import dev.skiff.apiserver.registry.ObjectEvent;

/** Receives the events of one watch served from the cache. Called from one thread at a time. */
public interface CacheSink {

    /** Sends one event; returns false when the client is gone. */
    boolean send(ObjectEvent.Type type, CachedObject object, long revision);

    /** The watch ended; {@code tooSlow} when the cache dropped it for falling behind. */
    void ended(boolean tooSlow);
}
