package dev.skiff.storage.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.skiff.storage.KeyRange;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.MutableClock;
import dev.skiff.storage.StorageUnavailableException;
import dev.skiff.storage.WatchEnd;
import dev.skiff.storage.WatchEvent;
import dev.skiff.storage.WriteResult;
import dev.skiff.storage.contract.RecordingListener;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the embedded engine promises: durability across reopen, disk-backed watch replay, injected clock. */
class EmbeddedBackendTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void everythingSurvivesAReopen() {
        long revision;
        long compacted;
        try (EmbeddedBackend store = EmbeddedBackend.open(dir)) {
            long r = ((WriteResult.Committed) store.create("/a", bytes("1"))).revision();
            store.update("/a", bytes("2"), r);
            store.create("/b", bytes("b"));
            store.create("/ttl", bytes("t"), Duration.ofHours(1));
            compacted = store.compact(r + 1);
            revision = store.currentRevision();
        }
        try (EmbeddedBackend store = EmbeddedBackend.open(dir)) {
            assertThat(store.currentRevision()).isEqualTo(revision);
            assertThat(store.compactRevision()).isEqualTo(compacted);
            KeyValue a = store.get("/a").kv();
            assertThat(new String(a.value(), UTF_8)).isEqualTo("2");
            assertThat(a.version()).isEqualTo(2);
            assertThat(store.count(KeyRange.prefix("/"))).isEqualTo(3);
            WriteResult.Committed next = (WriteResult.Committed) store.create("/c", bytes("c"));
            assertThat(next.revision()).isEqualTo(revision + 1);
        }
    }

    @Test
    void watchersReplayFromDiskWhenTheRingNoLongerHoldsTheEvents() {
        EmbeddedOptions tiny = EmbeddedOptions.defaults().withEventRingSize(16);
        long first;
        try (EmbeddedBackend store = EmbeddedBackend.open(dir, tiny)) {
            first = store.currentRevision();
            for (int i = 0; i < 100; i++) {
                store.create("/d/" + i, bytes("v" + i));
            }
            for (int i = 0; i < 100; i += 2) {
                store.delete("/d/" + i);
            }
        }
        try (EmbeddedBackend store = EmbeddedBackend.open(dir, tiny)) {
            RecordingListener listener = new RecordingListener();
            store.watch(KeyRange.prefix("/d/"), first, listener);
            for (int i = 100; i < 120; i++) {
                store.create("/d/" + i, bytes("v" + i));
            }
            await().atMost(WAIT).until(() -> listener.events().size() == 170);
            List<Long> revisions = listener.revisions();
            for (int i = 0; i < revisions.size(); i++) {
                assertThat(revisions.get(i)).isEqualTo(first + 1 + i);
            }
            WatchEvent.Delete delete = (WatchEvent.Delete) listener.events().get(100);
            assertThat(delete.key()).isEqualTo("/d/0");
            assertThat(new String(delete.previous().value(), UTF_8)).isEqualTo("v0");
        }
    }

    @Test
    void aWatcherThatFallsBehindTheCompactionPointEndsCompacted() throws Exception {
        EmbeddedOptions tiny = EmbeddedOptions.defaults().withEventRingSize(16);
        try (EmbeddedBackend store = EmbeddedBackend.open(dir, tiny)) {
            CountDownLatch release = new CountDownLatch(1);
            RecordingListener recorded = new RecordingListener();
            store.watch(KeyRange.prefix("/s/"), 0, new dev.skiff.storage.WatchListener() {
                @Override
                public void onEvent(WatchEvent event) {
                    recorded.onEvent(event);
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public void onEnd(WatchEnd end) {
                    recorded.onEnd(end);
                }
            });
            for (int i = 0; i < 100; i++) {
                store.create("/s/" + i, bytes("v"));
            }
            await().atMost(WAIT).until(() -> recorded.events().size() == 1);
            store.compact(store.currentRevision());
            release.countDown();
            await().atMost(WAIT).until(() -> recorded.end() != null);
            assertThat(recorded.end()).isInstanceOf(WatchEnd.Compacted.class);
            assertThat(recorded.revisions()).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void ttlDeadlinesFollowTheInjectedClock() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        EmbeddedOptions options = EmbeddedOptions.defaults().withClock(clock)
                .withTtlCheckInterval(Duration.ofMillis(20));
        try (EmbeddedBackend store = EmbeddedBackend.open(dir, options)) {
            store.create("/event", bytes("e"), Duration.ofHours(1));
            store.create("/other", bytes("o"), Duration.ofHours(2));

            clock.advance(Duration.ofMinutes(59));
            long before = store.currentRevision();
            await().pollDelay(Duration.ofMillis(100)).atMost(WAIT)
                    .until(() -> store.get("/event").found() && store.currentRevision() == before);

            clock.advance(Duration.ofMinutes(2));
            await().atMost(WAIT).until(() -> !store.get("/event").found());
            assertThat(store.get("/other").found()).isTrue();
            assertThat(store.currentRevision()).isEqualTo(before + 1);
        }
    }

    @Test
    void closingEndsWatchesAndRefusesFurtherUse() {
        EmbeddedBackend store = EmbeddedBackend.open(dir);
        RecordingListener listener = new RecordingListener();
        store.watch(KeyRange.prefix("/"), 0, listener);
        store.close();
        store.close();

        await().atMost(WAIT).until(() -> listener.end() != null);
        assertThat(listener.end()).isInstanceOf(WatchEnd.Cancelled.class);
        assertThatThrownBy(() -> store.create("/x", bytes("x"))).isInstanceOf(StorageUnavailableException.class);
        assertThatThrownBy(() -> store.get("/x")).isInstanceOf(StorageUnavailableException.class);
    }
}
