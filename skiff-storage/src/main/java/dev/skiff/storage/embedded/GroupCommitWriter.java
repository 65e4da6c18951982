package dev.skiff.storage.embedded;

import dev.skiff.storage.KeyValue;
import dev.skiff.storage.StorageUnavailableException;
import dev.skiff.storage.WatchEvent;
import dev.skiff.storage.WriteResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of the embedded store. Callers enqueue {@link WriteOp}s and block on their futures; the writer
 * thread takes whatever has queued up (up to {@code maxBatchOps}), evaluates each operation against the current
 * state in arrival order (so compare-and-swap races have exactly one winner), gives each committed write the next
 * revision, and commits the whole group as one atomic, synced RocksDB write batch before completing any future.
 * One disk sync thus acknowledges many writers (group commit), and revisions are dense and ordered by commit.
 */
final class GroupCommitWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    private final RocksStore store;
    private final EventRing ring;
    private final int maxBatchOps;
    private final boolean durable;
    private final BlockingQueue<WriteOp> queue = new LinkedBlockingQueue<>(1 << 16);
    private final Thread thread;
    private volatile boolean closed;
    private volatile Throwable failure;
    private long revision;

    GroupCommitWriter(RocksStore store, EventRing ring, long revision, int maxBatchOps, boolean durable) {
        this.store = store;
        this.ring = ring;
        this.revision = revision;
        this.maxBatchOps = maxBatchOps;
        this.durable = durable;
        this.thread = Thread.ofPlatform().name("skiff-storage-writer").daemon(true).unstarted(this::run);
        this.thread.start();
    }

    /** Enqueues {@code op} and blocks until it is committed or rejected. */
    WriteResult submit(WriteOp op) {
        enqueue(op);
        try {
            return op.result().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** Enqueues {@code op} without waiting. */
    void enqueue(WriteOp op) {
        checkUsable();
        try {
            queue.put(op);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("interrupted while queueing a write", e);
        }
        // Closed between the check and the put: make sure nobody waits forever.
        if (closed) {
            drainAndFail(new StorageUnavailableException("the store is closed", null));
        }
    }

    private void checkUsable() {
        if (closed) {
            throw new StorageUnavailableException("the store is closed", null);
        }
        Throwable cause = failure;
        if (cause != null) {
            throw new StorageUnavailableException("the store failed earlier and accepts no writes: " + cause, cause);
        }
    }

    private void run() {
        List<WriteOp> batch = new ArrayList<>(maxBatchOps);
        while (!closed) {
            try {
                WriteOp first = queue.take();
                batch.add(first);
                queue.drainTo(batch, maxBatchOps - 1);
                commit(batch);
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            } catch (RuntimeException | Error e) {
                LOG.error("storage write failed; the store now refuses writes", e);
                failure = e;
                StorageUnavailableException error = new StorageUnavailableException("storage write failed: " + e, e);
                batch.forEach(op -> op.result().completeExceptionally(error));
                closed = true;
            } finally {
                batch.clear();
            }
        }
        drainAndFail(new StorageUnavailableException("the store is closed", null));
    }

    private void drainAndFail(StorageUnavailableException error) {
        List<WriteOp> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(op -> op.result().completeExceptionally(error));
    }

    private void commit(List<WriteOp> batch) {
        Map<String, StoredRecord> pending = new HashMap<>();
        List<WatchEvent> events = new ArrayList<>(batch.size());
        List<WriteResult> results = new ArrayList<>(batch.size());
        long next = revision;
        try (WriteBatch writes = new WriteBatch()) {
            for (WriteOp op : batch) {
                byte[] key = StoreKeys.utf8(op.key());
                StoredRecord current = pending.containsKey(op.key()) ? pending.get(op.key()) : load(key);
                boolean exists = current != null && !current.tombstone();
                WriteResult result = switch (op) {
                    case WriteOp.Create create -> {
                        if (exists) {
                            yield new WriteResult.KeyExists(current.toKeyValue(op.key()));
                        }
                        long rev = ++next;
                        StoredRecord created = StoredRecord.live(rev, rev, 1, create.expiresAtMillis(), create.value());
                        stage(writes, pending, key, op.key(), null, created);
                        KeyValue kv = created.toKeyValue(op.key());
                        events.add(new WatchEvent.Put(kv, null));
                        yield new WriteResult.Committed(rev, null, kv);
                    }
                    case WriteOp.Update update -> {
                        if (!exists) {
                            yield new WriteResult.KeyMissing(op.key());
                        }
                        KeyValue previous = current.toKeyValue(op.key());
                        if (current.modRevision() != update.expectedModRevision()) {
                            yield new WriteResult.RevisionMismatch(previous);
                        }
                        long rev = ++next;
                        StoredRecord updated = StoredRecord.live(current.createRevision(), rev, current.version() + 1,
                                update.expiresAtMillis(), update.value());
                        stage(writes, pending, key, op.key(), current, updated);
                        KeyValue kv = updated.toKeyValue(op.key());
                        events.add(new WatchEvent.Put(kv, previous));
                        yield new WriteResult.Committed(rev, previous, kv);
                    }
                    case WriteOp.Delete delete -> {
                        if (!exists) {
                            yield new WriteResult.KeyMissing(op.key());
                        }
                        KeyValue previous = current.toKeyValue(op.key());
                        if (delete.expectedModRevision() != 0
                                && current.modRevision() != delete.expectedModRevision()) {
                            yield new WriteResult.RevisionMismatch(previous);
                        }
                        long rev = ++next;
                        stage(writes, pending, key, op.key(), current, StoredRecord.tombstone(rev));
                        events.add(new WatchEvent.Delete(op.key(), rev, previous));
                        yield new WriteResult.Committed(rev, previous, null);
                    }
                };
                results.add(result);
            }
            if (next != revision) {
                writes.put(store.meta, StoreKeys.META_REVISION, StoreKeys.longBytes(next));
                store.write(writes, durable);
                revision = next;
                ring.publish(events, next);
            }
        } catch (RocksDBException e) {
            throw new StorageUnavailableException("cannot stage a write batch: " + e.getMessage(), e);
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(results.get(i));
        }
    }

    private StoredRecord load(byte[] key) {
        byte[] bytes = store.get(store.latest, key);
        return bytes == null ? null : StoredRecord.decode(bytes);
    }

    /** Adds one version's rows to the batch: latest, history, revision log and TTL index. */
    private void stage(WriteBatch writes, Map<String, StoredRecord> pending, byte[] key, String keyString,
            StoredRecord previous, StoredRecord next) throws RocksDBException {
        byte[] encoded = next.encode();
        if (next.tombstone()) {
            writes.delete(store.latest, key);
        } else {
            writes.put(store.latest, key, encoded);
        }
        writes.put(store.hist, StoreKeys.histKey(key, next.modRevision()), encoded);
        writes.put(store.log, StoreKeys.longBytes(next.modRevision()), key);
        if (previous != null && !previous.tombstone() && previous.expiresAtMillis() != 0) {
            writes.delete(store.ttl, StoreKeys.ttlKey(previous.expiresAtMillis(), key));
        }
        if (!next.tombstone() && next.expiresAtMillis() != 0) {
            writes.put(store.ttl, StoreKeys.ttlKey(next.expiresAtMillis(), key),
                    StoreKeys.longBytes(next.modRevision()));
        }
        pending.put(keyString, next);
    }

    long revision() {
        return ring.committedRevision();
    }

    /** Stops the writer after the batch in progress; queued writes fail as "closed". Idempotent. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drainAndFail(new StorageUnavailableException("the store is closed", null));
    }
}
