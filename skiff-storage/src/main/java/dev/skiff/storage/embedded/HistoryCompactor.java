package dev.skiff.storage.embedded;

import java.util.Arrays;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import dev.skiff.storage.StorageUnavailableException;

/**
 * Physically removes history before a compaction point {@code C}, keeping what reads at revisions {@code >= C - 1}
 * and watches after {@code C - 1} still need: for each key, versions superseded before {@code C} go, the newest version
 * below {@code C} stays unless it is a tombstone, and revision log entries below {@code C} go.
 *
 * <p>Safe alongside readers and the writer: only versions below {@code C} are touched, which no writer changes, and
 * versions are removed oldest first, so a reader at a revision {@code >= C} never finds an older version exposed by the
 * removal of a newer one. Callers publish the new compaction point before calling {@link #compact}.
 */
final class HistoryCompactor {

    private static final int DELETES_PER_BATCH = 4096;

    private final RocksStore store;

    HistoryCompactor(RocksStore store) {
        this.store = store;
    }

    /**
     * Removes history below {@code compactRevision}; {@code previousCompact} is the earlier compaction point (0 if
     * none), below which at most one version per key was kept.
     */
    void compact(long previousCompact, long compactRevision) {
        try (ReadOptions read = new ReadOptions();
                RocksIterator log = store.iterator(store.log, read);
                RocksIterator hist = store.iterator(store.hist, read)) {
            WriteBatch batch = new WriteBatch();
            try {
                int staged = 0;
                for (log.seekToFirst(); log.isValid(); log.next()) {
                    long revision = StoreKeys.longOf(log.key());
                    if (revision >= compactRevision) {
                        break;
                    }
                    byte[] key = log.value();
                    staged += compactVersion(batch, hist, key, revision, previousCompact, compactRevision);
                    batch.delete(store.log, log.key());
                    staged++;
                    if (staged >= DELETES_PER_BATCH) {
                        store.write(batch, false);
                        batch.close();
                        batch = new WriteBatch();
                        staged = 0;
                    }
                }
                store.write(batch, false);
            } finally {
                batch.close();
            }
        } catch (RocksDBException e) {
            throw new StorageUnavailableException("compaction failed: " + e.getMessage(), e);
        }
    }

    /** Stages removal of what the version of {@code key} at {@code revision} makes obsolete; returns deletes staged. */
    private int compactVersion(WriteBatch batch, RocksIterator hist, byte[] key, long revision, long previousCompact,
            long compactRevision) throws RocksDBException {
        int staged = 0;
        // The one version kept below the previous compaction point is superseded by this one.
        if (previousCompact > 0) {
            hist.seekForPrev(StoreKeys.histKey(key, Math.min(revision, previousCompact) - 1));
            if (hist.isValid() && sameKey(hist.key(), key) && StoreKeys.histRevision(hist.key()) < previousCompact) {
                batch.delete(store.hist, hist.key());
                staged++;
            }
        }
        byte[] self = StoreKeys.histKey(key, revision);
        hist.seek(StoreKeys.histKey(key, revision + 1));
        boolean supersededBelowCompact = hist.isValid() && sameKey(hist.key(), key)
                && StoreKeys.histRevision(hist.key()) < compactRevision;
        if (supersededBelowCompact) {
            batch.delete(store.hist, self);
            return staged + 1;
        }
        byte[] record = store.get(store.hist, self);
        if (record != null && StoredRecord.decode(record).tombstone()) {
            batch.delete(store.hist, self);
            staged++;
        }
        return staged;
    }

    private static boolean sameKey(byte[] histKey, byte[] key) {
        int userLength = histKey.length - 1 - Long.BYTES;
        return userLength == key.length && Arrays.equals(histKey, 0, userLength, key, 0, userLength);
    }
}
