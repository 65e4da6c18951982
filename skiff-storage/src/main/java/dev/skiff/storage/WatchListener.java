package dev.skiff.storage;

/**
 * Receives a watch's events. An engine calls one listener from one thread at a time, so a listener needs no locking
 * of its own state; it should return quickly, since a slow listener delays only its own watch. A listener must not
 * throw; if it does, the engine logs it and may end the watch with {@link WatchEnd.Failed}.
 */
public interface WatchListener {

    /** The next event, in revision order, never a gap or a duplicate. */
    void onEvent(WatchEvent event);

    /** The watch ended; called exactly once, last. */
    void onEnd(WatchEnd end);

    /**
     * Progress: every event up to {@code revision} in the watched range has been delivered. Engines call it when a
     * watch has caught up with the store (possibly often, possibly never for engines that cannot tell); revisions
     * passed to it never decrease and never run ahead of delivered events. Lets a cache prove it is as fresh as
     * the store when the latest writes were outside its range.
     */
    default void onProgress(long revision) {
    }
}
