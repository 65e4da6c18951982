package dev.skiff.storage.etcd;

import dev.skiff.storage.Backend;
import dev.skiff.storage.CompactedException;
import dev.skiff.storage.FutureRevisionException;
import dev.skiff.storage.GetResult;
import dev.skiff.storage.KeyRange;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.Keys;
import dev.skiff.storage.ListResult;
import dev.skiff.storage.StorageUnavailableException;
import dev.skiff.storage.Watch;
import dev.skiff.storage.WatchEnd;
import dev.skiff.storage.WatchListener;
import dev.skiff.storage.WriteResult;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage SPI over etcd v3 (through jetcd), for clusters that outgrow the embedded engine.
 *
 * <p><b>Mapping.</b> Revisions are etcd's own (the response header revision). Every key is stored under a key
 * prefix, like kube-apiserver's {@code --etcd-prefix}, and the prefix is stripped from everything handed back, so
 * several stores can share one etcd. {@code create} is the transaction kube-apiserver issues for a create
 * ({@code if createRevision(key) == 0 then put else get}); guarded updates and deletes compare the key's modRevision
 * the same way. TTLs become etcd leases shared between writes with the same TTL, reused within 5% of the TTL as
 * kube-apiserver does, so that a burst of Events does not grant one lease each.
 *
 * <p><b>Sharing one etcd.</b> The store revision is etcd's global revision, so it also advances on writes under
 * other prefixes, and {@link #compact(long)} compacts the whole etcd, not just this prefix: both are properties of
 * etcd that kube-apiserver lives with too.
 *
 * <p><b>Compaction.</b> Compacting to {@code C} compacts etcd to {@code C - 1} and refuses reads and watches below
 * {@code C} itself. The SPI promises that after compaction to {@code C} the first event a watch may still start at
 * (revision {@code C}) comes with its previous value; etcd compacted to {@code C} keeps only each key's newest
 * version at or below {@code C}, so the value a write at {@code C} replaced would be gone. Keeping etcd one revision
 * behind preserves it, and costs one revision of history. etcd does not report its compaction point, so
 * {@link #compactRevision()} finds it out: it probes whether the revision below the last point known still reads
 * and, if not, binary-searches etcd's smallest readable revision with count-only reads (ours is one above).
 * Points learnt from {@link #compact(long)}, from failed reads and from watches that ended compacted are
 * remembered. A point set by another client of the same etcd is learnt by {@code compactRevision()} or when etcd
 * refuses a request; until then reads at the one revision etcd still keeps below it succeed here.
 *
 * <p><b>Watches</b> are etcd watches with previous values, re-created by the engine itself after a lost stream,
 * from just after the last event delivered; etcd's periodic progress notifications become {@link WatchListener#onProgress}. etcd sends
 * those only as often as its {@code --experimental-watch-progress-notify-interval} (ten minutes by default; set it
 * to well under a second on servers behind an API server whose cache waits for progress).
 *
 * <p><b>Threads and blocking.</b> Thread-safe. Every method blocks the calling thread for one or a few etcd round
 * trips (virtual threads are fine), at most the request timeout per round trip, after which it fails with
 * {@link StorageUnavailableException}; {@link #watch} blocks only to read the current revision when watching from
 * now, and {@link Watch#cancel()} does not block. {@link #currentRevision()} is one linearizable read, not a local
 * lookup: the SPI calls it non-blocking, which a networked store cannot honour without risking a stale answer. Watch
 * listeners are called on virtual threads owned by this backend, one at a time per watch, so a slow listener holds
 * up only its own watch (its events queue up in memory meanwhile).
 */
public final class EtcdBackend implements Backend {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdBackend.class);

    /**
     * Tunables.
     *
     * @param requestTimeout how long one etcd round trip may take before the call fails as unavailable
     * @param listChunk      keys fetched per etcd range request while reading a long list, so that no single
     *                       response message has to hold a whole large list
     */
    public record Options(Duration requestTimeout, int listChunk) {
        public static final Options DEFAULTS = new Options(Duration.ofSeconds(30), 10_000);

        public Options {
            if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
            }
            if (listChunk < 1) {
                throw new IllegalArgumentException("listChunk must be positive, was " + listChunk);
            }
        }

        public Options withRequestTimeout(Duration timeout) {
            return new Options(timeout, listChunk);
        }

        public Options withListChunk(int chunk) {
            return new Options(requestTimeout, chunk);
        }
    }

    private final Client client;
    private final KV kv;
    private final KeySpace keys;
    private final String keyPrefix;
    private final Options options;
    private final LeaseCache leases;
    private final AtomicLong knownCompactRevision = new AtomicLong();
    private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Executor listenerThreads;

    private EtcdBackend(Client client, String keyPrefix, Options options) {
        this.client = client;
        this.kv = client.getKVClient();
        this.keyPrefix = keyPrefix;
        this.keys = KeySpace.of(keyPrefix);
        this.options = options;
        this.leases = new LeaseCache(this::grantLease, System::nanoTime);
        ThreadFactory factory = Thread.ofVirtual().name("skiff-etcd-watch-", 0).factory();
        this.listenerThreads = task -> factory.newThread(task).start();
    }

    /** Connects to etcd with default options; see {@link #connect(List, String, Options)}. */
    public static EtcdBackend connect(List<URI> endpoints, String keyPrefix) {
        return connect(endpoints, keyPrefix, Options.DEFAULTS);
    }

    /**
     * Connects to the etcd cluster at {@code endpoints} and checks that it answers.
     *
     * @param keyPrefix prepended to every key (e.g. {@code "/registry"}); "" for none
     * @throws StorageUnavailableException if etcd does not answer within the request timeout
     */
    public static EtcdBackend connect(List<URI> endpoints, String keyPrefix, Options options) {
        Objects.requireNonNull(options, "options");
        KeySpace.of(keyPrefix); // validate before opening anything
        if (endpoints == null || endpoints.isEmpty()) {
            throw new IllegalArgumentException("at least one etcd endpoint is needed");
        }
        Client client = Client.builder()
                .endpoints(endpoints.toArray(URI[]::new))
                // One list chunk (10,000 keys), or one value of up to 6 MiB, exceeds gRPC's 4 MiB default.
                .maxInboundMessageSize(Integer.MAX_VALUE)
                .build();
        EtcdBackend backend = new EtcdBackend(client, keyPrefix, options);
        try {
            backend.currentRevision();
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
        LOG.debug("connected to etcd at {} under prefix '{}'", endpoints, keyPrefix);
        return backend;
    }

    /** The prefix every key of this store is stored under. */
    public String keyPrefix() {
        return keyPrefix;
    }

    // --- revisions ----------------------------------------------------------------------------------------------

    @Override
    public long currentRevision() {
        ensureOpen();
        // Any linearizable range answers with the current revision in its header; count-only on one key is the
        // cheapest such request.
        return await("read the current revision",
                kv.get(probeKey(), GetOption.builder().withCountOnly(true).build())).getHeader().getRevision();
    }

    @Override
    public long compactRevision() {
        ensureOpen();
        long known = knownCompactRevision.get();
        // Points only grow, and etcd keeps history from one below ours. If that still reads, nothing new happened.
        long probe = Math.max(known - 1, 1);
        if (readable(probe)) {
            return known;
        }
        return discoverCompactRevision(probe);
    }

    /** Remembers a compaction point (ours, not etcd's). Returns the point now known. */
    private long learnCompactRevision(long revision) {
        return knownCompactRevision.accumulateAndGet(revision, Math::max);
    }

    /** etcd reported its own compaction point: ours is one above it (see the class comment). */
    private long learnEtcdCompactRevision(long etcdRevision) {
        return learnCompactRevision(etcdRevision + 1);
    }

    /**
     * Finds the compaction point, knowing that reads at {@code unreadable} fail: etcd's point is the smallest
     * readable revision, found by binary search between it and the current revision (which always reads).
     */
    private long discoverCompactRevision(long unreadable) {
        long low = unreadable; // fails
        long high = currentRevision(); // reads
        while (high - low > 1) {
            long middle = low + (high - low) / 2;
            if (readable(middle)) {
                high = middle;
            } else {
                low = middle;
            }
        }
        return learnEtcdCompactRevision(high);
    }

    /** Fails reads below the compaction point we know, including the one revision etcd still has (class doc). */
    private void checkNotCompacted(long revision) {
        long known = knownCompactRevision.get();
        if (revision != 0 && revision < known) {
            throw new CompactedException(revision, known);
        }
    }

    private boolean readable(long revision) {
        try {
            attempt("probe revision " + revision,
                    kv.get(probeKey(), GetOption.builder().withCountOnly(true).withRevision(revision).build()));
            return true;
        } catch (EtcdFailure failure) {
            if (EtcdErrors.isCompacted(failure.getCause())) {
                return false;
            }
            throw EtcdErrors.unavailable("probe revision " + revision, failure.getCause());
        }
    }

    /** A key that is never written: SPI keys cannot hold NUL. Also valid when the store prefix is empty. */
    private ByteSequence probeKey() {
        return KeySpace.successor(ByteSequence.from(keys.prefix()));
    }

    // --- reads --------------------------------------------------------------------------------------------------

    @Override
    public GetResult get(String key, long revision) {
        Keys.requireValidKey(key);
        Keys.requireRevision("revision", revision);
        ensureOpen();
        checkNotCompacted(revision);
        GetResponse response = read("get " + key, revision,
                kv.get(keys.key(key), GetOption.builder().withRevision(revision).build()));
        KeyValue found = response.getKvs().isEmpty() ? null : toKeyValue(keys, response.getKvs().getFirst());
        return new GetResult(servedAt(revision, response), found);
    }

    @Override
    public ListResult list(KeyRange range, long revision, int limit) {
        Objects.requireNonNull(range, "range");
        Keys.requireRevision("revision", revision);
        Keys.requireLimit(limit);
        ensureOpen();
        checkNotCompacted(revision);
        KeySpace.Bounds bounds = keys.bounds(range);
        List<KeyValue> items = new ArrayList<>();
        ByteSequence from = bounds.start();
        long at = revision;
        boolean more;
        // Large lists are read in chunks, all pinned to the revision of the first: one consistent snapshot
        // without a single response message holding every key.
        do {
            int chunk = options.listChunk();
            int want = limit == 0 ? chunk : Math.min(chunk, limit - items.size());
            GetOption.Builder option = GetOption.builder().withRevision(at).withLimit(want);
            if (bounds.end() != null) {
                option.withRange(bounds.end());
            }
            GetResponse response = read("list " + range, at, kv.get(from, option.build()));
            if (at == 0) {
                at = response.getHeader().getRevision();
            }
            List<io.etcd.jetcd.KeyValue> kvs = response.getKvs();
            for (io.etcd.jetcd.KeyValue item : kvs) {
                items.add(toKeyValue(keys, item));
            }
            more = response.isMore();
            if (more && !kvs.isEmpty()) {
                from = KeySpace.successor(kvs.getLast().getKey());
            }
        } while (more && (limit == 0 || items.size() < limit));
        return new ListResult(items, at, more);
    }

    @Override
    public long count(KeyRange range) {
        Objects.requireNonNull(range, "range");
        ensureOpen();
        KeySpace.Bounds bounds = keys.bounds(range);
        GetOption.Builder option = GetOption.builder().withCountOnly(true);
        if (bounds.end() != null) {
            option.withRange(bounds.end());
        }
        return await("count " + range, kv.get(bounds.start(), option.build())).getCount();
    }

    /** Awaits a read at {@code revision}, translating etcd's compacted and future-revision errors. */
    private GetResponse read(String operation, long revision, CompletableFuture<GetResponse> future) {
        try {
            return attempt(operation, future);
        } catch (EtcdFailure failure) {
            Throwable cause = failure.getCause();
            if (EtcdErrors.isCompacted(cause)) {
                throw new CompactedException(revision, discoverCompactRevision(revision));
            }
            if (EtcdErrors.isFutureRevision(cause)) {
                throw new FutureRevisionException(revision, currentRevision());
            }
            throw EtcdErrors.unavailable(operation, cause);
        }
    }

    /** A read at a past revision was served "as of" that revision; etcd's header carries the current one. */
    private static long servedAt(long requested, GetResponse response) {
        return requested != 0 ? requested : response.getHeader().getRevision();
    }

    // --- writes -------------------------------------------------------------------------------------------------

    @Override
    public WriteResult create(String key, byte[] value, Duration ttl) {
        Keys.requireValidKey(key);
        Keys.requireValidValue(value);
        Duration expiry = Keys.requireTtl(ttl);
        ensureOpen();
        ByteSequence etcdKey = keys.key(key);
        ByteSequence etcdValue = ByteSequence.from(value);
        TxnResponse response = withLease(expiry, "create " + key, lease -> kv.txn()
                .If(new Cmp(etcdKey, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(etcdKey, etcdValue, putOption(lease, false)))
                .Else(Op.get(etcdKey, GetOption.DEFAULT))
                .commit());
        if (!response.isSucceeded()) {
            List<io.etcd.jetcd.KeyValue> existing = response.getGetResponses().getFirst().getKvs();
            if (existing.isEmpty()) {
                // createRevision != 0 means the key exists; etcd answered inconsistently with itself.
                throw new StorageUnavailableException("create " + key + ": etcd reported the key both present and"
                        + " absent", null);
            }
            return new WriteResult.KeyExists(toKeyValue(keys, existing.getFirst()));
        }
        long revision = response.getHeader().getRevision();
        return new WriteResult.Committed(revision, null, new KeyValue(key, value, revision, revision, 1));
    }

    @Override
    public WriteResult update(String key, byte[] value, long expectedModRevision, Duration ttl) {
        Keys.requireValidKey(key);
        Keys.requireValidValue(value);
        Keys.requireExpectedRevision(expectedModRevision);
        Duration expiry = Keys.requireTtl(ttl);
        ensureOpen();
        ByteSequence etcdKey = keys.key(key);
        ByteSequence etcdValue = ByteSequence.from(value);
        TxnResponse response = withLease(expiry, "update " + key, lease -> kv.txn()
                .If(new Cmp(etcdKey, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision)))
                .Then(Op.put(etcdKey, etcdValue, putOption(lease, true)))
                .Else(Op.get(etcdKey, GetOption.DEFAULT))
                .commit());
        if (!response.isSucceeded()) {
            return mismatchOrMissing(key, response);
        }
        long revision = response.getHeader().getRevision();
        PutResponse put = response.getPutResponses().getFirst();
        if (!put.hasPrevKv()) {
            // Cannot happen: the compare proved the key existed at a positive modRevision.
            throw new StorageUnavailableException("update " + key + ": etcd returned no previous value", null);
        }
        KeyValue previous = toKeyValue(keys, put.getPrevKv());
        KeyValue current = new KeyValue(key, value, previous.createRevision(), revision, previous.version() + 1);
        return new WriteResult.Committed(revision, previous, current);
    }

    @Override
    public WriteResult delete(String key, long expectedModRevision) {
        Keys.requireValidKey(key);
        Keys.requireExpectedRevision(expectedModRevision);
        ensureOpen();
        ByteSequence etcdKey = keys.key(key);
        TxnResponse response = await("delete " + key, kv.txn()
                .If(new Cmp(etcdKey, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision)))
                .Then(Op.delete(etcdKey, DeleteOption.builder().withPrevKV(true).build()))
                .Else(Op.get(etcdKey, GetOption.DEFAULT))
                .commit());
        if (!response.isSucceeded()) {
            return mismatchOrMissing(key, response);
        }
        return deleted(key, response.getHeader().getRevision(), response.getDeleteResponses().getFirst());
    }

    @Override
    public WriteResult delete(String key) {
        Keys.requireValidKey(key);
        ensureOpen();
        DeleteResponse response = await("delete " + key,
                kv.delete(keys.key(key), DeleteOption.builder().withPrevKV(true).build()));
        if (response.getDeleted() == 0) {
            return new WriteResult.KeyMissing(key);
        }
        return deleted(key, response.getHeader().getRevision(), response);
    }

    private WriteResult deleted(String key, long revision, DeleteResponse response) {
        List<io.etcd.jetcd.KeyValue> previous = response.getPrevKvs();
        if (previous.isEmpty()) {
            throw new StorageUnavailableException("delete " + key + ": etcd returned no previous value", null);
        }
        return new WriteResult.Committed(revision, toKeyValue(keys, previous.getFirst()), null);
    }

    private WriteResult mismatchOrMissing(String key, TxnResponse response) {
        List<io.etcd.jetcd.KeyValue> current = response.getGetResponses().getFirst().getKvs();
        if (current.isEmpty()) {
            return new WriteResult.KeyMissing(key);
        }
        return new WriteResult.RevisionMismatch(toKeyValue(keys, current.getFirst()));
    }

    private static PutOption putOption(long leaseId, boolean previous) {
        PutOption.Builder option = PutOption.builder().withLeaseId(leaseId);
        if (previous) {
            option.withPrevKV();
        }
        return option.build();
    }

    private interface LeasedWrite {
        CompletableFuture<TxnResponse> send(long leaseId);
    }

    /**
     * Sends a write with the lease for {@code ttl} (0: none). A cached lease may have been revoked or lost since
     * (etcd rejects the whole transaction then, so nothing was written): forget it and retry once with a new one.
     */
    private TxnResponse withLease(Duration ttl, String operation, LeasedWrite write) {
        if (ttl == null) {
            return await(operation, write.send(0));
        }
        long lease = leases.leaseFor(ttl);
        try {
            return attempt(operation, write.send(lease));
        } catch (EtcdFailure failure) {
            if (!EtcdErrors.isLeaseNotFound(failure.getCause())) {
                throw EtcdErrors.unavailable(operation, failure.getCause());
            }
            leases.invalidate(lease);
            return await(operation, write.send(leases.leaseFor(ttl)));
        }
    }

    private long grantLease(long seconds) {
        return await("grant a lease of " + seconds + " s", client.getLeaseClient().grant(seconds)).getID();
    }

    // --- watch and compaction -----------------------------------------------------------------------------------

    @Override
    public Watch watch(KeyRange range, long afterRevision, WatchListener listener) {
        Objects.requireNonNull(range, "range");
        Keys.requireRevision("afterRevision", afterRevision);
        Objects.requireNonNull(listener, "listener");
        ensureOpen();
        // "From now" must mean "after every write that returned before this call": etcd's own start revision 0
        // would be fixed only when the server gets around to creating the watch, so pin it here.
        long from = (afterRevision == 0 ? currentRevision() : afterRevision) + 1;
        SerialDelivery delivery = new SerialDelivery(listener, listenerThreads);
        EtcdWatch watch = new EtcdWatch(new WatchHost(), keys.bounds(range), from, delivery);
        long known = knownCompactRevision.get();
        if (from < known) {
            // Needs history below our point; etcd may still have its last revision, but the SPI says it is gone.
            watch.end(new WatchEnd.Compacted(known));
            return watch;
        }
        watches.add(watch);
        if (closed.get()) {
            // Raced with close(): it may have missed this watch, so end it ourselves (cancel is idempotent).
            watch.cancel();
            return watch;
        }
        watch.start();
        return watch;
    }

    /** The backend as seen by its watches. */
    private final class WatchHost implements EtcdWatch.Host {
        @Override
        public io.etcd.jetcd.Watch watchClient() {
            return client.getWatchClient();
        }

        @Override
        public KeySpace keySpace() {
            return keys;
        }

        @Override
        public long compactedTo(long etcdCompactRevision) {
            return learnEtcdCompactRevision(etcdCompactRevision);
        }

        @Override
        public void ended(EtcdWatch watch) {
            watches.remove(watch);
        }
    }

    @Override
    public long compact(long revision) {
        Keys.requireRevision("revision", revision);
        ensureOpen();
        long known = knownCompactRevision.get();
        if (revision <= known) {
            return known;
        }
        long current = currentRevision();
        if (revision > current) {
            throw new FutureRevisionException(revision, current);
        }
        if (revision - 1 >= 1) {
            try {
                // One below ours (class doc). Not physical: etcd refuses reads below the point as soon as the
                // request is applied, and reclaims the space in the background without holding this caller.
                attempt("compact to " + revision, kv.compact(revision - 1));
            } catch (EtcdFailure failure) {
                Throwable cause = failure.getCause();
                if (EtcdErrors.isCompacted(cause)) {
                    // Someone (another store on this etcd, another API server) compacted as far or further.
                    return Math.max(learnCompactRevision(revision), compactRevision());
                }
                if (EtcdErrors.isFutureRevision(cause)) {
                    throw new FutureRevisionException(revision, currentRevision());
                }
                throw EtcdErrors.unavailable("compact to " + revision, cause);
            }
        }
        return learnCompactRevision(revision);
    }

    // --- lifecycle ----------------------------------------------------------------------------------------------

    /** Ends every watch with {@link WatchEnd.Cancelled} and disconnects from etcd. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (EtcdWatch watch : List.copyOf(watches)) {
            watch.cancel();
        }
        client.close();
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new StorageUnavailableException("the etcd store is closed", null);
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    /** An etcd request failed; the cause is the unwrapped jetcd/gRPC error, for the caller to classify. */
    private static final class EtcdFailure extends RuntimeException {
        EtcdFailure(Throwable cause) {
            super(cause);
        }
    }

    /** Waits for one etcd round trip; any failure means etcd could not serve it. */
    private <T> T await(String operation, CompletableFuture<T> future) {
        try {
            return attempt(operation, future);
        } catch (EtcdFailure failure) {
            throw EtcdErrors.unavailable(operation, failure.getCause());
        }
    }

    /**
     * Waits for one etcd round trip whose errors the caller classifies: etcd's answer comes out as
     * {@link EtcdFailure}; timeouts, interrupts and a closed store as unavailability.
     */
    private <T> T attempt(String operation, CompletableFuture<T> future) {
        try {
            return future.get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = EtcdErrors.unwrap(e);
            if (closed.get()) {
                throw new StorageUnavailableException(operation + ": the etcd store is closed", cause);
            }
            throw new EtcdFailure(cause);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StorageUnavailableException(
                    operation + ": etcd did not answer within " + options.requestTimeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new StorageUnavailableException(operation + ": interrupted", e);
        }
    }

    static KeyValue toKeyValue(KeySpace keys, io.etcd.jetcd.KeyValue kv) {
        return new KeyValue(keys.strip(kv.getKey()), kv.getValue().getBytes(), kv.getCreateRevision(),
                kv.getModRevision(), kv.getVersion());
    }

    @Override
    public String toString() {
        return "EtcdBackend[prefix='" + keyPrefix + "']";
    }
}
