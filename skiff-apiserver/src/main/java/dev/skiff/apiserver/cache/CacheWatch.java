package dev.skiff.apiserver.cache;

/**
 * A client watch registered with a {@link WatchCache}: it already collects the events after its starting point, and
 * delivers them to its sink once started. Thread-safe; no method blocks.
 */
public interface CacheWatch {

    /** The revision the client has seen everything up to when delivery begins (its start or its snapshot). */
    long startRevision();

    /** Begins delivery on the watch's own thread: the backlog (state or replay), then live changes. */
    void start();

    /**
     * Queues a BOOKMARK at the cache's current revision, behind every event up to it; dropped when the watch does
     * not allow bookmarks, has nothing new to report, or its queue is full (as upstream's cacher drops them).
     */
    void bookmark();

    /** Ends the watch; idempotent, also before {@link #start()}. */
    void stop();
}
