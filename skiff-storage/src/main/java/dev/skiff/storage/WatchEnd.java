package dev.skiff.storage;

/** Why a watch stopped. After the end is delivered, the listener receives nothing more. */
public sealed interface WatchEnd {

    /**
     * The requested start lies before the store's compaction point: events were lost and the caller must re-list.
     * The API server answers this with HTTP 410 Gone.
     */
    record Compacted(long compactRevision) implements WatchEnd {
    }

    /** The caller cancelled the watch, or the store was closed. */
    record Cancelled() implements WatchEnd {
    }

    /** The engine could not go on (I/O failure, lost connection that could not be resumed). */
    record Failed(Throwable cause) implements WatchEnd {
    }
}
