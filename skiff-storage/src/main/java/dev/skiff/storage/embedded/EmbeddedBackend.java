package dev.skiff.storage.embedded;

import dev.skiff.storage.Backend;
import dev.skiff.storage.CompactedException;
import dev.skiff.storage.FutureRevisionException;
import dev.skiff.storage.GetResult;
import dev.skiff.storage.KeyRange;
import dev.skiff.storage.Keys;
import dev.skiff.storage.ListResult;
import dev.skiff.storage.StorageUnavailableException;
import dev.skiff.storage.Watch;
import dev.skiff.storage.WatchEvent;
import dev.skiff.storage.WatchListener;
import dev.skiff.storage.WriteResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link Backend}: durable in a local directory, on RocksDB (see the package documentation for the
 * layout). Thread-safe; writes block until synced, reads block briefly on local disk, watch listeners run on one
 * virtual thread per watch. One process may open a directory at a time (RocksDB locks it).
 */
public final class EmbeddedBackend implements Backend {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBackend.class);

    private final Path dir;
    private final EmbeddedOptions options;
    private final RocksStore store;
    private final StoreReader reader;
    private final EventRing ring;
    private final GroupCommitWriter writer;
    private final HistoryCompactor historyCompactor;
    private final ScheduledExecutorService scheduler;
    private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
    /** Readers hold it shared; close holds it exclusively, so no read touches native handles after they are freed. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final Object compactLock = new Object();
    private volatile long compactRevision;
    private volatile boolean closed;

    private EmbeddedBackend(Path dir, EmbeddedOptions options) {
        this.dir = dir;
        this.options = options;
        this.store = new RocksStore(dir, options);
        this.reader = new StoreReader(store);
        long revision = store.metaLong(StoreKeys.META_REVISION, 1);
        this.compactRevision = store.metaLong(StoreKeys.META_COMPACT, 0);
        this.ring = new EventRing(options.eventRingSize(), revision);
        this.writer = new GroupCommitWriter(store, ring, revision, options.maxBatchOps(), options.syncWrites());
        this.historyCompactor = new HistoryCompactor(store);
        TtlExpirer expirer = new TtlExpirer(store, writer, options.clock());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("skiff-storage-ttl").daemon(true).factory());
        long interval = options.ttlCheckInterval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> expireSafely(expirer), interval, interval, TimeUnit.MILLISECONDS);
        LOG.debug("opened embedded store {} at revision {} (compacted to {})", dir, revision, compactRevision);
    }

    /** Opens (creating if needed) the store in {@code dir} with durable defaults. */
    public static EmbeddedBackend open(Path dir) {
        return open(dir, EmbeddedOptions.defaults());
    }

    /** Opens (creating if needed) the store in {@code dir}. */
    public static EmbeddedBackend open(Path dir, EmbeddedOptions options) {
        return new EmbeddedBackend(Objects.requireNonNull(dir, "dir"), Objects.requireNonNull(options, "options"));
    }

    public Path directory() {
        return dir;
    }

    @Override
    public long currentRevision() {
        return ring.committedRevision();
    }

    @Override
    public long compactRevision() {
        return compactRevision;
    }

    @Override
    public GetResult get(String key, long revision) {
        Keys.requireValidKey(key);
        Keys.requireRevision("revision", revision);
        return read(() -> {
            if (revision == 0) {
                return reader.getLatest(key);
            }
            checkReadable(revision);
            GetResult result = reader.getAt(key, revision);
            checkStillReadable(revision);
            return result;
        });
    }

    @Override
    public ListResult list(KeyRange range, long revision, int limit) {
        Objects.requireNonNull(range, "range");
        Keys.requireRevision("revision", revision);
        Keys.requireLimit(limit);
        return read(() -> {
            if (revision != 0) {
                checkReadable(revision);
            }
            ListResult result = reader.list(range, revision, limit);
            if (revision != 0) {
                checkStillReadable(revision);
            }
            return result;
        });
    }

    @Override
    public long count(KeyRange range) {
        Objects.requireNonNull(range, "range");
        return read(() -> reader.count(range));
    }

    @Override
    public WriteResult create(String key, byte[] value, Duration ttl) {
        Keys.requireValidKey(key);
        Keys.requireValidValue(value);
        long expiresAt = expiry(Keys.requireTtl(ttl));
        return writer.submit(new WriteOp.Create(key, value, expiresAt, new CompletableFuture<>()));
    }

    @Override
    public WriteResult update(String key, byte[] value, long expectedModRevision, Duration ttl) {
        Keys.requireValidKey(key);
        Keys.requireValidValue(value);
        Keys.requireExpectedRevision(expectedModRevision);
        long expiresAt = expiry(Keys.requireTtl(ttl));
        return writer.submit(
                new WriteOp.Update(key, value, expectedModRevision, expiresAt, new CompletableFuture<>()));
    }

    @Override
    public WriteResult delete(String key, long expectedModRevision) {
        Keys.requireValidKey(key);
        Keys.requireExpectedRevision(expectedModRevision);
        return writer.submit(new WriteOp.Delete(key, expectedModRevision, new CompletableFuture<>()));
    }

    @Override
    public WriteResult delete(String key) {
        Keys.requireValidKey(key);
        return writer.submit(new WriteOp.Delete(key, 0, new CompletableFuture<>()));
    }

    private long expiry(Duration ttl) {
        return ttl == null ? 0 : options.clock().millis() + ttl.toMillis();
    }

    @Override
    public Watch watch(KeyRange range, long afterRevision, WatchListener listener) {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(listener, "listener");
        Keys.requireRevision("afterRevision", afterRevision);
        if (closed) {
            throw new StorageUnavailableException("the store is closed", null);
        }
        long after = afterRevision == 0 ? ring.committedRevision() : afterRevision;
        Watcher[] self = new Watcher[1];
        self[0] = new Watcher(watchSource, range, after, listener, () -> watchers.remove(self[0]));
        watchers.add(self[0]);
        self[0].start();
        return self[0];
    }

    @Override
    public long compact(long revision) {
        Keys.requireRevision("revision", revision);
        synchronized (compactLock) {
            long current = ring.committedRevision();
            if (revision > current) {
                throw new FutureRevisionException(revision, current);
            }
            long previous = compactRevision;
            if (revision <= previous) {
                return previous;
            }
            return read(() -> {
                // Publish the new point durably before removing anything, so no read is served from a partial state.
                try (org.rocksdb.WriteBatch batch = new org.rocksdb.WriteBatch()) {
                    batch.put(store.meta, StoreKeys.META_COMPACT, StoreKeys.longBytes(revision));
                    store.write(batch, true);
                } catch (org.rocksdb.RocksDBException e) {
                    throw new StorageUnavailableException("cannot record the compaction point", e);
                }
                compactRevision = revision;
                historyCompactor.compact(previous, revision);
                return revision;
            });
        }
    }

    private void checkReadable(long revision) {
        long compact = compactRevision;
        if (revision < compact) {
            throw new CompactedException(revision, compact);
        }
        long current = ring.committedRevision();
        if (revision > current) {
            throw new FutureRevisionException(revision, current);
        }
    }

    /** A compaction that started during the read may have removed what it saw: then the read must fail. */
    private void checkStillReadable(long revision) {
        long compact = compactRevision;
        if (revision < compact) {
            throw new CompactedException(revision, compact);
        }
    }

    private <T> T read(Supplier<T> body) {
        ReentrantReadWriteLock.ReadLock lock = lifecycle.readLock();
        lock.lock();
        try {
            if (closed) {
                throw new StorageUnavailableException("the store is closed", null);
            }
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    private void expireSafely(TtlExpirer expirer) {
        try {
            read(expirer::expireDue);
        } catch (StorageUnavailableException e) {
            if (!closed) {
                LOG.warn("TTL expiry failed; will retry", e);
            }
        } catch (RuntimeException e) {
            LOG.warn("TTL expiry failed; will retry", e);
        }
    }

    /** What watchers read: the ring, the compaction point and, through the lifecycle guard, the disk log. */
    private final Watcher.Source watchSource = new Watcher.Source() {
        @Override
        public EventRing ring() {
            return ring;
        }

        @Override
        public long compactRevision() {
            return compactRevision;
        }

        @Override
        public List<WatchEvent> eventsFromDisk(long from, long to, int max) {
            return read(() -> reader.events(from, to, max));
        }
    };

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdownNow();
        writer.close();
        watchers.forEach(Watcher::cancel);
        ring.close();
        ReentrantReadWriteLock.WriteLock lock = lifecycle.writeLock();
        lock.lock();
        try {
            store.close();
        } finally {
            lock.unlock();
        }
        LOG.debug("closed embedded store {}", dir);
    }
}
