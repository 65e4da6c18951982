package dev.skiff.storage.embedded;

import dev.skiff.storage.StorageUnavailableException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB instance and its column families, opened once per data directory. Owns every native handle and
 * frees them on {@link #close()}. Thread-safe (RocksDB is).
 */
final class RocksStore implements AutoCloseable {

    static {
        RocksDB.loadLibrary();
    }

    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final LRUCache blockCache;
    private final List<ColumnFamilyHandle> handles;
    private final WriteOptions syncedWrites;
    private final WriteOptions unsyncedWrites;

    final ColumnFamilyHandle meta;
    final ColumnFamilyHandle latest;
    final ColumnFamilyHandle hist;
    final ColumnFamilyHandle log;
    final ColumnFamilyHandle ttl;

    RocksStore(Path dir, EmbeddedOptions options) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new StorageUnavailableException("cannot create data directory " + dir + ": " + e.getMessage(), e);
        }
        blockCache = new LRUCache(options.blockCacheBytes());
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(blockCache)
                .setBlockSize(16 * 1024)
                .setFilterPolicy(new BloomFilter(10));
        cfOptions = new ColumnFamilyOptions()
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setTableFormatConfig(table)
                .setWriteBufferSize(32L << 20);
        // Point-in-time recovery: after a crash the store holds exactly a prefix of the synced write batches.
        dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
                .setMaxBackgroundJobs(2)
                .setKeepLogFileNum(2);
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
                new ColumnFamilyDescriptor(bytes("latest"), cfOptions),
                new ColumnFamilyDescriptor(bytes("hist"), cfOptions),
                new ColumnFamilyDescriptor(bytes("log"), cfOptions),
                new ColumnFamilyDescriptor(bytes("ttl"), cfOptions));
        handles = new ArrayList<>();
        try {
            db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            closeOptions();
            throw new StorageUnavailableException("cannot open the store in " + dir + ": " + e.getMessage(), e);
        }
        meta = handles.get(0);
        latest = handles.get(1);
        hist = handles.get(2);
        log = handles.get(3);
        ttl = handles.get(4);
        syncedWrites = new WriteOptions().setSync(options.syncWrites());
        unsyncedWrites = new WriteOptions().setSync(false);
    }

    private static byte[] bytes(String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    byte[] get(ColumnFamilyHandle family, byte[] key) {
        try {
            return db.get(family, key);
        } catch (RocksDBException e) {
            throw failure("read", e);
        }
    }

    byte[] get(ColumnFamilyHandle family, ReadOptions readOptions, byte[] key) {
        try {
            return db.get(family, readOptions, key);
        } catch (RocksDBException e) {
            throw failure("read", e);
        }
    }

    long metaLong(byte[] key, long absent) {
        byte[] value = get(meta, key);
        return value == null ? absent : StoreKeys.longOf(value);
    }

    long metaLong(ReadOptions readOptions, byte[] key, long absent) {
        byte[] value = get(meta, readOptions, key);
        return value == null ? absent : StoreKeys.longOf(value);
    }

    /** Writes a batch; synced (durable before return) unless the options turned syncing off. */
    void write(WriteBatch batch, boolean durable) {
        try {
            db.write(durable ? syncedWrites : unsyncedWrites, batch);
        } catch (RocksDBException e) {
            throw failure("write", e);
        }
    }

    RocksIterator iterator(ColumnFamilyHandle family, ReadOptions readOptions) {
        return db.newIterator(family, readOptions);
    }

    Snapshot snapshot() {
        return db.getSnapshot();
    }

    void release(Snapshot snapshot) {
        db.releaseSnapshot(snapshot);
    }

    private static StorageUnavailableException failure(String what, RocksDBException e) {
        return new StorageUnavailableException("embedded store " + what + " failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        for (ColumnFamilyHandle handle : handles) {
            handle.close();
        }
        db.close();
        syncedWrites.close();
        unsyncedWrites.close();
        closeOptions();
    }

    private void closeOptions() {
        dbOptions.close();
        cfOptions.close();
        blockCache.close();
    }
}
