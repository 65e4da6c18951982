package dev.skiff.apiserver.cache;

/**
 * Where a watch served from the cache begins, after the API server has applied upstream's defaulting of
 * {@code resourceVersion} and {@code sendInitialEvents}.
 */
public sealed interface WatchStart {

    /**
     * The current state as synthetic ADDED events, from a snapshot at least at {@code minRevision} (0: any state the
     * cache holds), then every change after the snapshot. kube-apiserver's {@code sendInitialEvents=true} (and the
     * legacy watch without a resourceVersion, or with "0").
     */
    record Snapshot(long minRevision) implements WatchStart {
    }

    /** Exactly the changes after {@code revision}: a watch resumed from a resourceVersion. */
    record After(long revision) implements WatchStart {
    }

    /** The changes after the cache's current revision, without the state: {@code sendInitialEvents=false} with "0". */
    record Latest() implements WatchStart {
    }
}
