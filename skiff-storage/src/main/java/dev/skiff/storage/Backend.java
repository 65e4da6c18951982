package dev.skiff.storage;

import java.time.Duration;

/**
 * A revisioned key/value store with etcd semantics: the storage under the API server.
 *
 * <h2>Revisions</h2>
 * The store has one global revision that starts at 1 (an empty store) and grows by exactly one with every committed
 * write. Each key carries the revision that created it, the revision of its last write (its <em>modRevision</em>,
 * the compare-and-swap token) and its version (writes since creation). The API server exposes revisions as
 * {@code resourceVersion}.
 *
 * <h2>Durability</h2>
 * A write method returns only once its effect is durable (for the embedded engine: synced to disk; for etcd:
 * committed by the cluster). A write that throws {@link StorageUnavailableException} may or may not have happened.
 *
 * <h2>Threads</h2>
 * Every method is thread-safe. Reads and writes block the calling thread (virtual threads are fine); watch
 * listeners are called on engine-owned threads. Writes from concurrent callers are linearizable: each committed
 * write is visible to every read that starts after it returns.
 *
 * <h2>History</h2>
 * Past revisions stay readable until compacted. {@link #compact(long)} discards history before a revision; reads
 * and watches that need it then fail with {@link CompactedException} or {@link WatchEnd.Compacted}.
 *
 * <h2>Bad input</h2>
 * Null or empty keys, null values, negative revisions or limits raise {@link IllegalArgumentException} before
 * anything is changed (see {@link Keys}).
 */
public interface Backend extends AutoCloseable {

    /**
     * The revision of the latest committed write (1 for an empty store). Cheap: in memory for the embedded engine,
     * one linearizable round trip for etcd (a remote store cannot know it otherwise).
     */
    long currentRevision();

    /** The compaction point: reads at revisions below it fail. 0 when nothing has been compacted. */
    long compactRevision();

    /** Reads a key at the latest revision. */
    default GetResult get(String key) {
        return get(key, 0);
    }

    /**
     * Reads a key as it was at {@code revision} (0: latest).
     *
     * @throws CompactedException      if {@code revision} is below the compaction point
     * @throws FutureRevisionException if {@code revision} is above the current revision
     */
    GetResult get(String key, long revision);

    /**
     * Reads up to {@code limit} keys of {@code range} in key order, as they were at {@code revision} (0: latest;
     * limit 0: no limit). Pages read at the same revision are consistent with each other.
     *
     * @throws CompactedException      if {@code revision} is below the compaction point
     * @throws FutureRevisionException if {@code revision} is above the current revision
     */
    ListResult list(KeyRange range, long revision, int limit);

    /** Reads every key of {@code range} at the latest revision. */
    default ListResult list(KeyRange range) {
        return list(range, 0, 0);
    }

    /** Counts the keys in {@code range} at the latest revision. */
    long count(KeyRange range);

    /**
     * Creates {@code key} if it does not exist. With a {@code ttl} (null: none) the key is deleted once it expires,
     * producing an ordinary delete event. Not idempotent: a retry after success answers {@link WriteResult.KeyExists}.
     *
     * @return {@link WriteResult.Committed} or {@link WriteResult.KeyExists}
     */
    WriteResult create(String key, byte[] value, Duration ttl);

    /** Creates {@code key} without expiry. */
    default WriteResult create(String key, byte[] value) {
        return create(key, value, null);
    }

    /**
     * Replaces the value of {@code key} if its modRevision is still {@code expectedModRevision} (compare-and-swap).
     * The ttl (null: none) replaces any previous expiry.
     *
     * @return {@link WriteResult.Committed}, {@link WriteResult.RevisionMismatch} or {@link WriteResult.KeyMissing}
     */
    WriteResult update(String key, byte[] value, long expectedModRevision, Duration ttl);

    /** Compare-and-swap update without expiry. */
    default WriteResult update(String key, byte[] value, long expectedModRevision) {
        return update(key, value, expectedModRevision, null);
    }

    /**
     * Deletes {@code key} if its modRevision is still {@code expectedModRevision}.
     *
     * @return {@link WriteResult.Committed} (previous set, current null), {@link WriteResult.RevisionMismatch} or
     *         {@link WriteResult.KeyMissing}
     */
    WriteResult delete(String key, long expectedModRevision);

    /**
     * Deletes {@code key} whatever its revision. Repeatable: deleting a missing key answers
     * {@link WriteResult.KeyMissing} and changes nothing.
     */
    WriteResult delete(String key);

    /**
     * Watches {@code range} for every change after {@code afterRevision} (0: from now). Events are delivered in
     * revision order, each exactly once, with the previous value. If history after {@code afterRevision} has been
     * compacted, the listener receives only {@link WatchEnd.Compacted}. Returns at once; delivery is asynchronous.
     */
    Watch watch(KeyRange range, long afterRevision, WatchListener listener);

    /**
     * Discards history before {@code revision}: afterwards reads at revisions below it and watches starting before
     * {@code revision - 1} fail as compacted. Idempotent: compacting to or below the current compaction point does
     * nothing. Returns the compaction point in force afterwards.
     *
     * @throws FutureRevisionException if {@code revision} is above the current revision
     */
    long compact(long revision);

    /** Releases the store: ends every watch with {@link WatchEnd.Cancelled}. Idempotent. */
    @Override
    void close();
}
