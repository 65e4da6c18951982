package dev.skiff.storage;

/**
 * Receives a watch's events. An engine calls one listener from one thread at a time, so a listener needs no locking
 * of its own state; it should return quickly, since a slow listener delays only its own watch.
 */
public interface WatchListener {

    /** The next event, in revision order, never a gap or a duplicate. */
    void onEvent(WatchEvent event);

    /** The watch ended; called exactly once, last. */
    void onEnd(WatchEnd end);
}
