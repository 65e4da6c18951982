package dev.skiff.storage.embedded;

import dev.skiff.storage.GetResult;
import dev.skiff.storage.KeyRange;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.ListResult;
import dev.skiff.storage.WatchEvent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/**
 * Reads of the embedded store: current values from the {@code latest} family under a snapshot (so the reported
 * revision matches the data exactly), past values from the {@code hist} family, and past events from the
 * {@code log} family. Stateless and thread-safe; the caller checks revision bounds and compaction.
 */
final class StoreReader {

    private static final int SCAN_BUFFER_BYTES = 64 * 1024;

    private final RocksStore store;

    StoreReader(RocksStore store) {
        this.store = store;
    }

    GetResult getLatest(String key) {
        Snapshot snapshot = store.snapshot();
        try (ReadOptions read = new ReadOptions().setSnapshot(snapshot)) {
            long revision = store.metaLong(read, StoreKeys.META_REVISION, 1);
            byte[] bytes = store.get(store.latest, read, StoreKeys.utf8(key));
            return new GetResult(revision, bytes == null ? null : StoredRecord.decode(bytes).toKeyValue(key));
        } finally {
            store.release(snapshot);
        }
    }

    GetResult getAt(String key, long revision) {
        try (ReadOptions read = new ReadOptions(); RocksIterator it = store.iterator(store.hist, read)) {
            return new GetResult(revision, versionAt(it, StoreKeys.utf8(key), key, revision));
        }
    }

    /** The live version of {@code key} at {@code revision}, or null; positions {@code it} somewhere in the key. */
    private static KeyValue versionAt(RocksIterator it, byte[] key, String keyString, long revision) {
        it.seekForPrev(StoreKeys.histKey(key, revision));
        if (!it.isValid()) {
            return null;
        }
        byte[] found = it.key();
        if (!sameKey(found, key)) {
            return null;
        }
        StoredRecord record = StoredRecord.decode(it.value());
        return record.tombstone() ? null : record.toKeyValue(keyString);
    }

    private static boolean sameKey(byte[] histKey, byte[] key) {
        int userLength = histKey.length - 1 - Long.BYTES;
        return userLength == key.length && Arrays.equals(histKey, 0, userLength, key, 0, userLength);
    }

    /** Lists at the latest revision, or at {@code revision} when it is still the latest. */
    ListResult list(KeyRange range, long revision, int limit) {
        Snapshot snapshot = store.snapshot();
        try (ReadOptions read = scanOptions().setSnapshot(snapshot)) {
            long current = store.metaLong(read, StoreKeys.META_REVISION, 1);
            if (revision == 0 || revision == current) {
                return listLatest(read, range, current, limit);
            }
        } finally {
            store.release(snapshot);
        }
        return listAt(range, revision, limit);
    }

    private ListResult listLatest(ReadOptions read, KeyRange range, long revision, int limit) {
        List<KeyValue> items = new ArrayList<>();
        boolean more = false;
        if (range instanceof KeyRange.Exact exact) {
            byte[] bytes = store.get(store.latest, read, StoreKeys.utf8(exact.key()));
            if (bytes != null) {
                items.add(StoredRecord.decode(bytes).toKeyValue(exact.key()));
            }
            return new ListResult(items, revision, false);
        }
        KeyRange.Prefix prefix = (KeyRange.Prefix) range;
        byte[] prefixBytes = StoreKeys.utf8(prefix.prefix());
        ByteBuffer buffer = ByteBuffer.allocateDirect(SCAN_BUFFER_BYTES);
        try (RocksIterator it = store.iterator(store.latest, read)) {
            for (it.seek(StoreKeys.utf8(prefix.startKey())); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (!StoreKeys.startsWith(key, prefixBytes)) {
                    break;
                }
                if (limit > 0 && items.size() == limit) {
                    more = true;
                    break;
                }
                // Copy the value once, through a reused direct buffer, instead of twice through a JNI array.
                buffer.clear();
                int size = it.value(buffer);
                if (size > buffer.capacity()) {
                    buffer = ByteBuffer.allocateDirect(Integer.highestOneBit(size) << 1);
                    it.value(buffer);
                }
                items.add(StoredRecord.decodeKeyValue(StoreKeys.string(key), buffer));
            }
        }
        return new ListResult(items, revision, more);
    }

    private ListResult listAt(KeyRange range, long revision, int limit) {
        List<KeyValue> items = new ArrayList<>();
        boolean more = false;
        try (ReadOptions read = new ReadOptions(); RocksIterator it = store.iterator(store.hist, read)) {
            if (range instanceof KeyRange.Exact exact) {
                KeyValue kv = versionAt(it, StoreKeys.utf8(exact.key()), exact.key(), revision);
                if (kv != null) {
                    items.add(kv);
                }
                return new ListResult(items, revision, false);
            }
            KeyRange.Prefix prefix = (KeyRange.Prefix) range;
            byte[] prefixBytes = StoreKeys.utf8(prefix.prefix());
            it.seek(StoreKeys.utf8(prefix.startKey()));
            while (it.isValid()) {
                byte[] key = StoreKeys.histUserKeyBytes(it.key());
                if (!StoreKeys.startsWith(key, prefixBytes)) {
                    break;
                }
                KeyValue kv = versionAt(it, key, StoreKeys.string(key), revision);
                if (kv != null) {
                    if (limit > 0 && items.size() == limit) {
                        more = true;
                        break;
                    }
                    items.add(kv);
                }
                it.seek(StoreKeys.histAfterKey(key));
            }
        }
        return new ListResult(items, revision, more);
    }

    /** Options for long forward scans: large read-ahead, and no per-read checksum pass (compaction checks blocks). */
    private static ReadOptions scanOptions() {
        return new ReadOptions().setReadaheadSize(2L << 20).setVerifyChecksums(false);
    }

    long count(KeyRange range) {
        if (range instanceof KeyRange.Exact exact) {
            return store.get(store.latest, StoreKeys.utf8(exact.key())) == null ? 0 : 1;
        }
        KeyRange.Prefix prefix = (KeyRange.Prefix) range;
        byte[] prefixBytes = StoreKeys.utf8(prefix.prefix());
        long count = 0;
        try (ReadOptions read = new ReadOptions(); RocksIterator it = store.iterator(store.latest, read)) {
            for (it.seek(StoreKeys.utf8(prefix.startKey())); it.isValid(); it.next()) {
                if (!StoreKeys.startsWith(it.key(), prefixBytes)) {
                    break;
                }
                count++;
            }
        }
        return count;
    }

    /**
     * The events of revisions {@code from..to} (inclusive, at most {@code max}) re-read from disk, in order. Stops
     * early at a missing revision (compacted away); the caller checks that the result starts at {@code from}.
     */
    List<WatchEvent> events(long from, long to, int max) {
        List<WatchEvent> events = new ArrayList<>();
        try (ReadOptions read = new ReadOptions();
                RocksIterator log = store.iterator(store.log, read);
                RocksIterator hist = store.iterator(store.hist, read)) {
            long expected = from;
            for (log.seek(StoreKeys.longBytes(from)); log.isValid() && events.size() < max; log.next()) {
                long revision = StoreKeys.longOf(log.key());
                if (revision > to || revision != expected) {
                    break;
                }
                byte[] key = log.value();
                String keyString = StoreKeys.string(key);
                byte[] recordBytes = store.get(store.hist, read, StoreKeys.histKey(key, revision));
                if (recordBytes == null) {
                    break;
                }
                StoredRecord record = StoredRecord.decode(recordBytes);
                KeyValue previous = revision > 1 ? versionAt(hist, key, keyString, revision - 1) : null;
                events.add(record.tombstone()
                        ? new WatchEvent.Delete(keyString, revision, previous)
                        : new WatchEvent.Put(record.toKeyValue(keyString), previous));
                expected++;
            }
        }
        return events;
    }
}
