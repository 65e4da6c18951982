package dev.skiff.storage.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.skiff.storage.CompactedException;
import dev.skiff.storage.KeyRange;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.Keys;
import dev.skiff.storage.ListResult;
import dev.skiff.storage.StorageUnavailableException;
import dev.skiff.storage.WatchEnd;
import dev.skiff.storage.WatchEvent;
import dev.skiff.storage.WriteResult;
import dev.skiff.storage.contract.RecordingListener;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the etcd engine adds to the contract: prefixes, shared leases, etcd-side compaction, failures. */
class EtcdBackendTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    static final LocalEtcdExtension ETCD = new LocalEtcdExtension();

    /** A plain jetcd client, to look at etcd below the engine and to act as "another client". */
    private Client raw;

    @BeforeEach
    void connectRaw() {
        raw = Client.builder().endpoints(ETCD.etcd().endpoints().toArray(URI[]::new)).build();
    }

    @AfterEach
    void closeRaw() {
        raw.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static KeyValue committed(WriteResult result) {
        assertThat(result).isInstanceOf(WriteResult.Committed.class);
        return ((WriteResult.Committed) result).current();
    }

    private io.etcd.jetcd.KeyValue rawGet(String etcdKey) throws Exception {
        List<io.etcd.jetcd.KeyValue> kvs = raw.getKVClient().get(ByteSequence.from(etcdKey, UTF_8))
                .get(10, TimeUnit.SECONDS).getKvs();
        return kvs.isEmpty() ? null : kvs.getFirst();
    }

    @Test
    void keysAreStoredUnderThePrefixAndStoresWithOtherPrefixesSeeNothingOfThem() throws Exception {
        String prefixA = LocalEtcdExtension.freshPrefix();
        EtcdBackend a = ETCD.newBackend(prefixA);
        EtcdBackend b = ETCD.newBackend(LocalEtcdExtension.freshPrefix());
        RecordingListener watchingB = new RecordingListener();
        b.watch(KeyRange.prefix("/"), 0, watchingB);
        long before = a.currentRevision();

        committed(a.create("/pods/x", bytes("a's")));
        committed(b.create("/pods/y", bytes("b's")));

        assertThat(rawGet(prefixA + "/pods/x").getValue().toString(UTF_8)).isEqualTo("a's");
        assertThat(a.list(KeyRange.prefix("/")).items()).extracting(KeyValue::key).containsExactly("/pods/x");
        assertThat(b.list(KeyRange.prefix("/")).items()).extracting(KeyValue::key).containsExactly("/pods/y");
        assertThat(a.count(KeyRange.prefix("/"))).isEqualTo(1);
        assertThat(a.get("/pods/y").found()).isFalse();
        await().atMost(WAIT).until(() -> watchingB.events().size() == 1);
        assertThat(watchingB.events().getFirst().key()).isEqualTo("/pods/y");
        // A watch replaying history also sees only its own prefix.
        RecordingListener replay = new RecordingListener();
        a.watch(KeyRange.prefix("/"), before, replay);
        await().atMost(WAIT).until(() -> replay.events().size() == 1);
        assertThat(replay.events()).extracting(WatchEvent::key).containsExactly("/pods/x");
    }

    @Test
    void revisionsAreEtcdsAndIncludeOtherClientsWrites() throws Exception {
        EtcdBackend store = ETCD.newBackend();
        long before = store.currentRevision();

        long rawRevision = raw.getKVClient().put(ByteSequence.from("/elsewhere", UTF_8), ByteSequence.from("x", UTF_8))
                .get(10, TimeUnit.SECONDS).getHeader().getRevision();

        assertThat(rawRevision).isEqualTo(before + 1);
        assertThat(store.currentRevision()).isEqualTo(rawRevision);
        assertThat(committed(store.create("/mine", bytes("v"))).modRevision()).isEqualTo(rawRevision + 1);
    }

    @Test
    void writesWithTheSameTtlShareOneLeaseAndAnUpdateWithoutTtlDropsIt() throws Exception {
        String prefix = LocalEtcdExtension.freshPrefix();
        EtcdBackend store = ETCD.newBackend(prefix);

        for (int i = 0; i < 5; i++) {
            committed(store.create("/events/" + i, bytes("e"), Duration.ofHours(1)));
        }
        KeyValue other = committed(store.create("/leases/node", bytes("n"), Duration.ofSeconds(40)));

        List<Long> leases = IntStream.range(0, 5).mapToObj(i -> {
            try {
                return rawGet(prefix + "/events/" + i).getLease();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).distinct().toList();
        assertThat(leases).hasSize(1).allMatch(id -> id != 0);
        long eventLease = leases.getFirst();
        long nodeLease = rawGet(prefix + "/leases/node").getLease();
        assertThat(nodeLease).isNotZero().isNotEqualTo(eventLease);
        long granted = raw.getLeaseClient().timeToLive(eventLease, io.etcd.jetcd.options.LeaseOption.DEFAULT)
                .get(10, TimeUnit.SECONDS).getGrantedTTL();
        assertThat(granted).as("TTL plus 5% slack").isEqualTo(3780);

        committed(store.update("/leases/node", bytes("n2"), other.modRevision()));
        assertThat(rawGet(prefix + "/leases/node").getLease()).isZero();
    }

    @Test
    void aLeaseRevokedBehindTheEnginesBackIsReplaced() throws Exception {
        String prefix = LocalEtcdExtension.freshPrefix();
        EtcdBackend store = ETCD.newBackend(prefix);
        committed(store.create("/a", bytes("a"), Duration.ofMinutes(10)));
        long lease = rawGet(prefix + "/a").getLease();

        raw.getLeaseClient().revoke(lease).get(10, TimeUnit.SECONDS);

        assertThat(store.get("/a").found()).as("revoking a lease deletes its keys").isFalse();
        committed(store.create("/b", bytes("b"), Duration.ofMinutes(10)));
        long replacement = rawGet(prefix + "/b").getLease();
        assertThat(replacement).isNotZero().isNotEqualTo(lease);
    }

    @Test
    void aCompactionByAnotherClientIsDiscoveredByReadsWatchesAndCompactRevision() throws Exception {
        EtcdBackend store = ETCD.newBackend();
        long r1 = committed(store.create("/a", bytes("1"))).modRevision();
        long r2 = committed(store.update("/a", bytes("2"), r1)).modRevision();
        long r3 = committed(store.update("/a", bytes("3"), r2)).modRevision();

        // etcd compacted to r2 by someone else: its history below r2 is gone.
        raw.getKVClient().compact(r2).get(10, TimeUnit.SECONDS);

        assertThatThrownBy(() -> store.get("/a", r1))
                .isInstanceOfSatisfying(CompactedException.class, e -> {
                    assertThat(e.requestedRevision()).isEqualTo(r1);
                    assertThat(e.compactRevision()).isEqualTo(r2 + 1);
                });
        assertThat(store.compactRevision()).isEqualTo(r2 + 1);

        EtcdBackend fresh = ETCD.newBackend();
        assertThat(fresh.compactRevision()).as("found by probing, without any failed read").isEqualTo(r2 + 1);
        RecordingListener tooOld = new RecordingListener();
        ETCD.newBackend().watch(KeyRange.prefix("/"), r1 - 1, tooOld);
        await().atMost(WAIT).until(() -> tooOld.end() != null);
        assertThat(tooOld.end()).isEqualTo(new WatchEnd.Compacted(r2 + 1));
        assertThat(new String(store.get("/a", r3).kv().value(), UTF_8)).isEqualTo("3");
    }

    @Test
    void compactingLeavesEtcdOneRevisionBehindSoTheFirstRetainedEventHasItsPreviousValue() throws Exception {
        EtcdBackend store = ETCD.newBackend();
        long r1 = committed(store.create("/a", bytes("1"))).modRevision();
        long r2 = committed(store.update("/a", bytes("2"), r1)).modRevision();

        assertThat(store.compact(r2)).isEqualTo(r2);

        // etcd still reads r1 (its point is r2 - 1), but the store refuses it.
        assertThat(raw.getKVClient().get(ByteSequence.from("x", UTF_8), GetOption.builder().withRevision(r1).build())
                .get(10, TimeUnit.SECONDS).getHeader().getRevision()).isPositive();
        assertThatThrownBy(() -> store.get("/a", r1)).isInstanceOf(CompactedException.class);
        assertThat(store.compactRevision()).isEqualTo(r2);
        assertThat(store.compact(r1)).as("idempotent").isEqualTo(r2);
    }

    @Test
    void anIdleWatchLearnsThatItIsCurrentFromEtcdsProgressNotifications() {
        EtcdBackend store = ETCD.newBackend();
        java.util.concurrent.atomic.AtomicLong progress = new java.util.concurrent.atomic.AtomicLong();
        store.watch(KeyRange.prefix("/quiet/"), 0, new dev.skiff.storage.WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                throw new AssertionError("no event expected: " + event);
            }

            @Override
            public void onProgress(long revision) {
                progress.accumulateAndGet(revision, Math::max);
            }

            @Override
            public void onEnd(WatchEnd end) {
            }
        });

        long elsewhere = committed(store.create("/busy/a", bytes("v"))).modRevision();

        await().atMost(WAIT).until(() -> progress.get() >= elsewhere);
    }

    @Test
    void longListsAreReadInChunksAtOneRevision() {
        EtcdBackend store = ETCD.newBackend(LocalEtcdExtension.freshPrefix(),
                EtcdBackend.Options.DEFAULTS.withListChunk(3));
        for (int i = 0; i < 10; i++) {
            committed(store.create("/k/" + i, bytes("v" + i)));
        }
        long revision = store.currentRevision();

        ListResult all = store.list(KeyRange.prefix("/k/"));
        ListResult seven = store.list(KeyRange.prefix("/k/"), 0, 7);
        ListResult nine = store.list(KeyRange.prefix("/k/", "/k/1"), 0, 9);

        assertThat(all.items()).hasSize(10);
        assertThat(all.more()).isFalse();
        assertThat(all.revision()).isEqualTo(revision);
        assertThat(seven.items()).extracting(KeyValue::key).containsExactly(
                "/k/0", "/k/1", "/k/2", "/k/3", "/k/4", "/k/5", "/k/6");
        assertThat(seven.more()).isTrue();
        assertThat(nine.items()).hasSize(9);
        assertThat(nine.more()).isFalse();
    }

    @Test
    void theLargestValueTheSpiAllowsFitsThroughLocalEtcd() {
        EtcdBackend store = ETCD.newBackend();
        byte[] large = new byte[Keys.MAX_VALUE_BYTES];
        large[large.length - 1] = 7;

        committed(store.create("/large", large));

        assertThat(store.get("/large").kv().value()).isEqualTo(large);
    }

    @Test
    void closeEndsEveryWatchOnceAndLaterCallsFail() {
        EtcdBackend store = ETCD.newBackend();
        RecordingListener one = new RecordingListener();
        RecordingListener two = new RecordingListener();
        store.watch(KeyRange.prefix("/a/"), 0, one);
        store.watch(KeyRange.exact("/b"), 0, two);

        store.close();
        store.close();

        await().atMost(WAIT).until(() -> one.end() != null && two.end() != null);
        assertThat(one.end()).isInstanceOf(WatchEnd.Cancelled.class);
        assertThat(two.end()).isInstanceOf(WatchEnd.Cancelled.class);
        assertThat(one.endCount() + two.endCount()).isEqualTo(2);
        assertThatThrownBy(() -> store.get("/a")).isInstanceOf(StorageUnavailableException.class);
        assertThatThrownBy(() -> store.create("/a", bytes("v"))).isInstanceOf(StorageUnavailableException.class);
    }

    @Test
    void anUnreachableEtcdIsStorageUnavailable() {
        EtcdBackend.Options quick = EtcdBackend.Options.DEFAULTS.withRequestTimeout(Duration.ofSeconds(1));
        EtcdBackend store;
        try (LocalEtcd doomed = LocalEtcd.startTemporary()) {
            store = EtcdBackend.connect(doomed.endpoints(), "/doomed", quick);
            committed(store.create("/a", bytes("v")));
        }
        try {
            assertThatThrownBy(() -> store.get("/a")).isInstanceOf(StorageUnavailableException.class);
            assertThatThrownBy(() -> store.create("/b", bytes("v"))).isInstanceOf(StorageUnavailableException.class);
            assertThatThrownBy(() -> store.currentRevision()).isInstanceOf(StorageUnavailableException.class);
        } finally {
            store.close();
        }
    }

    @Test
    void connectingToNothingFailsFast() throws Exception {
        EtcdBackend.Options quick = EtcdBackend.Options.DEFAULTS.withRequestTimeout(Duration.ofSeconds(1));
        URI nowhere;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nowhere = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        assertThatThrownBy(() -> EtcdBackend.connect(List.of(nowhere), "/x", quick))
                .isInstanceOf(StorageUnavailableException.class);
    }

    @Test
    void badPrefixesAndEndpointsAreRejectedBeforeConnecting() {
        List<URI> endpoints = ETCD.etcd().endpoints();
        assertThatThrownBy(() -> EtcdBackend.connect(endpoints, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EtcdBackend.connect(endpoints, "/a\0b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EtcdBackend.connect(List.of(), "/a")).isInstanceOf(IllegalArgumentException.class);
    }
}
