package dev.skiff.storage.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.skiff.storage.Backend;
import dev.skiff.storage.CompactedException;
import dev.skiff.storage.FutureRevisionException;
import dev.skiff.storage.GetResult;
import dev.skiff.storage.KeyRange;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.ListResult;
import dev.skiff.storage.Watch;
import dev.skiff.storage.WatchEnd;
import dev.skiff.storage.WatchEvent;
import dev.skiff.storage.WriteResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Backend} engine promises (see its Javadoc). Subclasses supply a fresh store per test.
 */
public abstract class BackendContractTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    protected Backend store;
    private long start;
    private final List<Watch> watches = new ArrayList<>();

    /** A store for one test, holding no keys. The suite closes it after the test. */
    protected abstract Backend newBackend() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newBackend();
        start = store.currentRevision();
    }

    @AfterEach
    void closeStore() {
        watches.forEach(Watch::cancel);
        if (store != null) {
            store.close();
        }
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    protected static String text(KeyValue kv) {
        return new String(kv.value(), UTF_8);
    }

    private WriteResult.Committed committed(WriteResult result) {
        assertThat(result).isInstanceOf(WriteResult.Committed.class);
        return (WriteResult.Committed) result;
    }

    private RecordingListener watch(KeyRange range, long after) {
        RecordingListener listener = new RecordingListener();
        watches.add(store.watch(range, after, listener));
        return listener;
    }

    // --- revisions and single-key writes ---------------------------------------------------------------------

    @Test
    void revisionStartsPositiveAndAMissingKeyIsNotFound() {
        assertThat(start).isPositive();
        GetResult result = store.get("/missing");
        assertThat(result.found()).isFalse();
        assertThat(result.revision()).isEqualTo(start);
    }

    @Test
    void createAssignsTheNextRevisionAndStartsTheVersionAtOne() {
        WriteResult.Committed created = committed(store.create("/a", bytes("one")));

        assertThat(created.revision()).isEqualTo(start + 1);
        assertThat(created.previous()).isNull();
        assertThat(created.current()).isEqualTo(new KeyValue("/a", bytes("one"), start + 1, start + 1, 1));
        assertThat(store.currentRevision()).isEqualTo(start + 1);
        GetResult read = store.get("/a");
        assertThat(read.kv()).isEqualTo(created.current());
        assertThat(read.revision()).isEqualTo(start + 1);
    }

    @Test
    void createOfAnExistingKeyChangesNothing() {
        KeyValue first = committed(store.create("/a", bytes("one"))).current();

        WriteResult again = store.create("/a", bytes("two"));

        assertThat(again).isEqualTo(new WriteResult.KeyExists(first));
        assertThat(store.currentRevision()).isEqualTo(start + 1);
        assertThat(text(store.get("/a").kv())).isEqualTo("one");
    }

    @Test
    void updateWithTheCurrentModRevisionReplacesTheValue() {
        KeyValue first = committed(store.create("/a", bytes("one"))).current();

        WriteResult.Committed updated = committed(store.update("/a", bytes("two"), first.modRevision()));

        assertThat(updated.revision()).isEqualTo(start + 2);
        assertThat(updated.previous()).isEqualTo(first);
        assertThat(updated.current()).isEqualTo(new KeyValue("/a", bytes("two"), start + 1, start + 2, 2));
        assertThat(store.get("/a").kv()).isEqualTo(updated.current());
    }

    @Test
    void updateWithAStaleModRevisionIsRejectedWithTheCurrentValue() {
        KeyValue first = committed(store.create("/a", bytes("one"))).current();
        KeyValue second = committed(store.update("/a", bytes("two"), first.modRevision())).current();

        WriteResult stale = store.update("/a", bytes("three"), first.modRevision());

        assertThat(stale).isEqualTo(new WriteResult.RevisionMismatch(second));
        assertThat(store.currentRevision()).isEqualTo(start + 2);
        assertThat(text(store.get("/a").kv())).isEqualTo("two");
    }

    @Test
    void updateOfAMissingKeyIsRejected() {
        assertThat(store.update("/nothing", bytes("x"), start)).isEqualTo(new WriteResult.KeyMissing("/nothing"));
        assertThat(store.currentRevision()).isEqualTo(start);
    }

    @Test
    void guardedDeleteHonoursTheModRevision() {
        KeyValue first = committed(store.create("/a", bytes("one"))).current();
        KeyValue second = committed(store.update("/a", bytes("two"), first.modRevision())).current();

        assertThat(store.delete("/a", first.modRevision())).isEqualTo(new WriteResult.RevisionMismatch(second));
        WriteResult.Committed deleted = committed(store.delete("/a", second.modRevision()));

        assertThat(deleted.revision()).isEqualTo(start + 3);
        assertThat(deleted.previous()).isEqualTo(second);
        assertThat(deleted.current()).isNull();
        assertThat(store.get("/a").found()).isFalse();
        assertThat(store.delete("/a", second.modRevision())).isEqualTo(new WriteResult.KeyMissing("/a"));
    }

    @Test
    void unconditionalDeleteIsRepeatable() {
        KeyValue first = committed(store.create("/a", bytes("one"))).current();

        WriteResult.Committed deleted = committed(store.delete("/a"));
        WriteResult again = store.delete("/a");

        assertThat(deleted.previous()).isEqualTo(first);
        assertThat(again).isEqualTo(new WriteResult.KeyMissing("/a"));
        assertThat(store.currentRevision()).isEqualTo(start + 2);
    }

    @Test
    void aRecreatedKeyStartsANewIncarnation() {
        committed(store.create("/a", bytes("one")));
        committed(store.delete("/a"));

        WriteResult.Committed recreated = committed(store.create("/a", bytes("again")));

        assertThat(recreated.previous()).isNull();
        assertThat(recreated.current().version()).isEqualTo(1);
        assertThat(recreated.current().createRevision()).isEqualTo(start + 3);
    }

    // --- reads at past revisions -----------------------------------------------------------------------------

    @Test
    void getAtAPastRevisionSeesTheValueThen() {
        long r1 = committed(store.create("/a", bytes("one"))).revision();
        long r2 = committed(store.update("/a", bytes("two"), r1)).revision();
        long r3 = committed(store.delete("/a")).revision();
        committed(store.create("/a", bytes("three")));

        assertThat(store.get("/a", r1 - 1).found()).isFalse();
        assertThat(text(store.get("/a", r1).kv())).isEqualTo("one");
        assertThat(text(store.get("/a", r2).kv())).isEqualTo("two");
        assertThat(store.get("/a", r3).found()).isFalse();
        assertThat(store.get("/a", r3).revision()).isEqualTo(r3);
        assertThat(text(store.get("/a").kv())).isEqualTo("three");
    }

    @Test
    void readsInTheFutureAreRejected() {
        long future = store.currentRevision() + 10;
        assertThatThrownBy(() -> store.get("/a", future)).isInstanceOf(FutureRevisionException.class);
        assertThatThrownBy(() -> store.list(KeyRange.prefix("/"), future, 0))
                .isInstanceOf(FutureRevisionException.class);
    }

    // --- lists ----------------------------------------------------------------------------------------------

    @Test
    void listReturnsThePrefixInByteOrder() {
        for (String key : List.of("/a/2", "/a/10", "/b/1", "/a", "/a/1", "/a/ü")) {
            committed(store.create(key, bytes(key)));
        }

        ListResult list = store.list(KeyRange.prefix("/a/"));

        assertThat(list.items()).extracting(KeyValue::key).containsExactly("/a/1", "/a/10", "/a/2", "/a/ü");
        assertThat(list.more()).isFalse();
        assertThat(list.revision()).isEqualTo(store.currentRevision());
        assertThat(store.count(KeyRange.prefix("/a/"))).isEqualTo(4);
        assertThat(store.count(KeyRange.prefix("/"))).isEqualTo(6);
        assertThat(store.count(KeyRange.exact("/a"))).isEqualTo(1);
        assertThat(store.list(KeyRange.exact("/b/1")).items()).extracting(KeyValue::key).containsExactly("/b/1");
        assertThat(store.list(KeyRange.exact("/b/2")).items()).isEmpty();
    }

    @Test
    void pagedListsAreConsistentAtTheFirstPagesRevision() {
        for (int i = 0; i < 5; i++) {
            committed(store.create("/p/" + i, bytes("v" + i)));
        }
        ListResult first = store.list(KeyRange.prefix("/p/"), 0, 2);
        assertThat(first.items()).extracting(KeyValue::key).containsExactly("/p/0", "/p/1");
        assertThat(first.more()).isTrue();

        // Changes after the first page must not show in later pages read at its revision.
        committed(store.delete("/p/3"));
        committed(store.create("/p/25", bytes("late")));

        List<String> seen = new ArrayList<>(first.items().stream().map(KeyValue::key).toList());
        ListResult page = first;
        while (page.more()) {
            page = store.list(KeyRange.prefix("/p/", page.continueFrom()), first.revision(), 2);
            assertThat(page.revision()).isEqualTo(first.revision());
            page.items().forEach(kv -> seen.add(kv.key()));
        }
        assertThat(seen).containsExactly("/p/0", "/p/1", "/p/2", "/p/3", "/p/4");
        assertThat(store.list(KeyRange.prefix("/p/")).items()).extracting(KeyValue::key)
                .containsExactly("/p/0", "/p/1", "/p/2", "/p/25", "/p/4");
    }

    @Test
    void listAtAPastRevisionShowsTheKeysThen() {
        long r1 = committed(store.create("/l/a", bytes("a1"))).revision();
        committed(store.create("/l/b", bytes("b1")));
        long r3 = committed(store.update("/l/a", bytes("a2"), r1)).revision();
        committed(store.delete("/l/b"));

        assertThat(store.list(KeyRange.prefix("/l/"), r1, 0).items()).extracting(BackendContractTest::text)
                .containsExactly("a1");
        assertThat(store.list(KeyRange.prefix("/l/"), r3, 0).items()).extracting(BackendContractTest::text)
                .containsExactly("a2", "b1");
        assertThat(store.list(KeyRange.prefix("/l/")).items()).extracting(BackendContractTest::text)
                .containsExactly("a2");
        assertThat(store.list(KeyRange.prefix("/l/"), r3, 1).more()).isTrue();
    }

    // --- TTL --------------------------------------------------------------------------------------------------

    @Test
    void keysWithATtlExpireAsDeleteEvents() {
        RecordingListener listener = watch(KeyRange.prefix("/ttl/"), 0);
        committed(store.create("/ttl/short", bytes("x"), Duration.ofSeconds(2)));
        committed(store.create("/ttl/forever", bytes("y")));
        KeyValue cleared = committed(store.create("/ttl/cleared", bytes("z"), Duration.ofSeconds(2))).current();
        committed(store.update("/ttl/cleared", bytes("z2"), cleared.modRevision()));

        await().atMost(WAIT).until(() -> !store.get("/ttl/short").found());

        assertThat(store.get("/ttl/forever").found()).isTrue();
        assertThat(store.get("/ttl/cleared").found()).as("an update without TTL removes the expiry").isTrue();
        await().atMost(WAIT).until(() -> listener.events().stream()
                .anyMatch(e -> e instanceof WatchEvent.Delete d && d.key().equals("/ttl/short")));
        WatchEvent.Delete expiry = listener.events().stream()
                .filter(e -> e instanceof WatchEvent.Delete).map(WatchEvent.Delete.class::cast).findFirst()
                .orElseThrow();
        assertThat(text(expiry.previous())).isEqualTo("x");
    }

    // --- watch ------------------------------------------------------------------------------------------------

    @Test
    void watchFromARevisionReplaysHistoryThenFollowsLiveWrites() {
        long r1 = committed(store.create("/w/a", bytes("1"))).revision();
        long r2 = committed(store.update("/w/a", bytes("2"), r1)).revision();
        long r3 = committed(store.create("/w/b", bytes("3"))).revision();

        RecordingListener listener = watch(KeyRange.prefix("/w/"), r1);
        long r4 = committed(store.delete("/w/a")).revision();

        await().atMost(WAIT).until(() -> listener.events().size() == 3);
        assertThat(listener.revisions()).containsExactly(r2, r3, r4);
        List<WatchEvent> events = listener.events();
        WatchEvent.Put update = (WatchEvent.Put) events.get(0);
        assertThat(text(update.current())).isEqualTo("2");
        assertThat(text(update.previous())).isEqualTo("1");
        assertThat(update.created()).isFalse();
        WatchEvent.Put create = (WatchEvent.Put) events.get(1);
        assertThat(create.created()).isTrue();
        assertThat(create.previous()).isNull();
        WatchEvent.Delete delete = (WatchEvent.Delete) events.get(2);
        assertThat(delete.key()).isEqualTo("/w/a");
        assertThat(text(delete.previous())).isEqualTo("2");
        assertThat(listener.end()).isNull();
    }

    @Test
    void watchFromNowSeesOnlyLaterWritesInItsRange() {
        committed(store.create("/w/old", bytes("old")));
        RecordingListener listener = watch(KeyRange.prefix("/w/"), 0);
        RecordingListener single = watch(KeyRange.exact("/w/x"), 0);

        committed(store.create("/other/x", bytes("not mine")));
        long mine = committed(store.create("/w/x", bytes("mine"))).revision();
        long next = committed(store.create("/w/y", bytes("also mine"))).revision();

        await().atMost(WAIT).until(() -> listener.events().size() == 2);
        assertThat(listener.revisions()).containsExactly(mine, next);
        await().atMost(WAIT).until(() -> single.events().size() == 1);
        assertThat(single.revisions()).containsExactly(mine);
    }

    @Test
    void aCancelledWatchEndsOnceAndResumesWithoutGapOrDuplicate() {
        RecordingListener first = watch(KeyRange.prefix("/r/"), 0);
        for (int i = 0; i < 10; i++) {
            committed(store.create("/r/" + i, bytes("v")));
        }
        await().atMost(WAIT).until(() -> first.events().size() == 10);
        Watch watch = watches.getLast();
        watch.cancel();
        watch.cancel();
        await().atMost(WAIT).until(() -> first.end() != null);
        assertThat(first.end()).isInstanceOf(WatchEnd.Cancelled.class);

        long resumeAfter = first.revisions().get(6);
        for (int i = 10; i < 15; i++) {
            committed(store.create("/r/" + i, bytes("v")));
        }
        RecordingListener resumed = watch(KeyRange.prefix("/r/"), resumeAfter);
        await().atMost(WAIT).until(() -> resumed.events().size() == 8);
        List<Long> expected = new ArrayList<>(first.revisions().subList(7, 10));
        List<Long> resumedRevisions = resumed.revisions();
        assertThat(resumedRevisions.subList(0, 3)).isEqualTo(expected);
        assertThat(resumedRevisions).isSorted().doesNotHaveDuplicates();
        assertThat(first.endCount()).isEqualTo(1);
    }

    @Test
    void watchersSeeEveryEventInOrderUnderConcurrentWriters() throws Exception {
        RecordingListener listener = watch(KeyRange.prefix("/c/"), 0);
        int writers = 8;
        int perWriter = 40;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    List<Long> revisions = new ArrayList<>();
                    for (int i = 0; i < perWriter; i++) {
                        revisions.add(committed(store.create("/c/" + writer + "/" + i, bytes("v"))).revision());
                    }
                    return revisions;
                }));
            }
            Set<Long> written = new HashSet<>();
            for (Future<List<Long>> future : futures) {
                written.addAll(future.get());
            }
            assertThat(written).hasSize(writers * perWriter);
            await().atMost(WAIT).until(() -> listener.events().size() == writers * perWriter);
            assertThat(listener.revisions()).isSorted().doesNotHaveDuplicates();
            assertThat(new HashSet<>(listener.revisions())).isEqualTo(written);
            assertThat(listener.overlapped()).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }

    // --- concurrency ------------------------------------------------------------------------------------------

    @Test
    void concurrentCompareAndSwapHasExactlyOneWinner() throws Exception {
        long base = committed(store.create("/cas", bytes("0"))).revision();
        List<WriteResult> results = race(16, i -> store.update("/cas", bytes("writer-" + i), base));

        assertThat(results).filteredOn(WriteResult::committed).hasSize(1);
        assertThat(results).filteredOn(r -> !r.committed()).hasSize(15)
                .allMatch(r -> r instanceof WriteResult.RevisionMismatch);
        assertThat(store.get("/cas").kv().version()).isEqualTo(2);
    }

    @Test
    void concurrentCreatesOfOneKeyHaveExactlyOneWinner() throws Exception {
        List<WriteResult> results = race(16, i -> store.create("/once", bytes("writer-" + i)));

        assertThat(results).filteredOn(WriteResult::committed).hasSize(1);
        assertThat(results).filteredOn(r -> r instanceof WriteResult.KeyExists).hasSize(15);
        assertThat(store.currentRevision()).isEqualTo(start + 1);
    }

    private interface Attempt {
        WriteResult run(int index);
    }

    private static List<WriteResult> race(int threads, Attempt attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<WriteResult>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                Callable<WriteResult> task = () -> {
                    go.await();
                    return attempt.run(index);
                };
                futures.add(pool.submit(task));
            }
            go.countDown();
            List<WriteResult> results = new ArrayList<>();
            for (Future<WriteResult> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    // --- compaction -------------------------------------------------------------------------------------------

    @Test
    void compactionDiscardsOlderHistoryButKeepsCurrentValues() {
        long r1 = committed(store.create("/k/a", bytes("a1"))).revision();
        long r2 = committed(store.update("/k/a", bytes("a2"), r1)).revision();
        committed(store.create("/k/b", bytes("b1")));
        long r4 = committed(store.create("/k/gone", bytes("g"))).revision();
        committed(store.delete("/k/gone"));
        long r6 = committed(store.update("/k/a", bytes("a3"), r2)).revision();

        assertThat(store.compact(r4)).isEqualTo(r4);
        assertThat(store.compactRevision()).isGreaterThanOrEqualTo(r4);

        assertThatThrownBy(() -> store.get("/k/a", r2))
                .isInstanceOfSatisfying(CompactedException.class,
                        e -> assertThat(e.compactRevision()).isGreaterThanOrEqualTo(r4));
        assertThatThrownBy(() -> store.list(KeyRange.prefix("/k/"), r2, 0))
                .isInstanceOf(CompactedException.class);
        assertThat(text(store.get("/k/a", r4).kv())).isEqualTo("a2");
        assertThat(store.list(KeyRange.prefix("/k/"), r4, 0).items()).extracting(BackendContractTest::text)
                .containsExactly("a2", "b1", "g");
        assertThat(store.list(KeyRange.prefix("/k/"), r6, 0).items()).extracting(BackendContractTest::text)
                .containsExactly("a3", "b1");
        assertThat(store.list(KeyRange.prefix("/k/")).items()).extracting(BackendContractTest::text)
                .containsExactly("a3", "b1");
        // Idempotent: compacting to an older point changes nothing.
        assertThat(store.compact(r2)).isGreaterThanOrEqualTo(r4);
        assertThatThrownBy(() -> store.compact(store.currentRevision() + 5))
                .isInstanceOf(FutureRevisionException.class);
    }

    @Test
    void aWatchStartingBeforeTheCompactionPointEndsCompacted() {
        long r1 = committed(store.create("/wc/a", bytes("1"))).revision();
        long r2 = committed(store.update("/wc/a", bytes("2"), r1)).revision();
        long r3 = committed(store.update("/wc/a", bytes("3"), r2)).revision();
        long r4 = committed(store.update("/wc/a", bytes("4"), r3)).revision();
        store.compact(r3);

        RecordingListener tooOld = watch(KeyRange.prefix("/wc/"), r1);
        RecordingListener justInTime = watch(KeyRange.prefix("/wc/"), r3 - 1);

        await().atMost(WAIT).until(() -> tooOld.end() != null);
        assertThat(tooOld.end()).isInstanceOfSatisfying(WatchEnd.Compacted.class,
                c -> assertThat(c.compactRevision()).isGreaterThanOrEqualTo(r3));
        assertThat(tooOld.events()).isEmpty();
        await().atMost(WAIT).until(() -> justInTime.events().size() == 2);
        assertThat(justInTime.revisions()).containsExactly(r3, r4);
        assertThat(text(((WatchEvent.Put) justInTime.events().get(0)).previous())).isEqualTo("2");
    }

    // --- bad input --------------------------------------------------------------------------------------------

    @Test
    void badInputIsRejectedAndChangesNothing() {
        committed(store.create("/ok", bytes("v")));
        long before = store.currentRevision();

        assertThatThrownBy(() -> store.create("", bytes("v"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key");
        assertThatThrownBy(() -> store.create(null, bytes("v"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.create("/a\0b", bytes("v"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.create("/null", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("value");
        assertThatThrownBy(() -> store.update("/ok", null, before)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.update("/ok", bytes("v"), -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete("/ok", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get("/ok", -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("revision");
        assertThatThrownBy(() -> store.list(KeyRange.prefix("/"), -1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.list(KeyRange.prefix("/"), 0, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> store.create("/ttl", bytes("v"), Duration.ofSeconds(-3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
        assertThatThrownBy(() -> store.watch(KeyRange.prefix("/"), -1, new RecordingListener()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.compact(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyRange.prefix("")).isInstanceOf(IllegalArgumentException.class);

        assertThat(store.currentRevision()).isEqualTo(before);
        assertThat(text(store.get("/ok").kv())).isEqualTo("v");
        assertThat(store.count(KeyRange.prefix("/"))).isEqualTo(1);
    }

    @Test
    void valuesRoundTripByteForByte() {
        byte[] binary = new byte[4096];
        IntStream.range(0, binary.length).forEach(i -> binary[i] = (byte) i);
        committed(store.create("/bin", binary));
        committed(store.create("/empty", new byte[0]));

        assertThat(store.get("/bin").kv().value()).isEqualTo(binary);
        assertThat(store.get("/empty").kv().value()).isEmpty();
    }
}
