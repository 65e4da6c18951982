package dev.skiff.apiserver.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WatchTimerTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void bookmarksComeEveryIntervalAndOnceMoreTwoSecondsBeforeTheTimeout() {
        AtomicLong now = new AtomicLong(1_000 * SECOND);
        WatchTimer timer = new WatchTimer(150, Duration.ofMinutes(1), now::get);
        long start = now.get();

        assertThat(timer.nextBookmark(start)).isEqualTo(start + 60 * SECOND);
        assertThat(timer.nextBookmark(start + 60 * SECOND)).isEqualTo(start + 120 * SECOND);
        // The next heartbeat would be after the deadline: the pre-timeout bookmark takes its place.
        assertThat(timer.nextBookmark(start + 120 * SECOND)).isEqualTo(start + 148 * SECOND);
        assertThat(timer.nextBookmark(start + 148 * SECOND)).isEqualTo(-1);
    }

    @Test
    void aWatchShorterThanTwoSecondsGetsNoBookmark() {
        AtomicLong now = new AtomicLong(0);
        WatchTimer timer = new WatchTimer(1, Duration.ofMillis(100), now::get);
        assertThat(timer.nextBookmark(0)).isEqualTo(-1);
    }

    @Test
    void withoutATimeoutAWatchLastsThirtyToSixtyMinutes() {
        for (int i = 0; i < 100; i++) {
            assertThat(WatchTimer.effectiveTimeout(0)).isBetween(1800L, 3599L);
        }
        assertThat(WatchTimer.effectiveTimeout(42)).isEqualTo(42);
    }

    @Test
    void awaitRunsToTheDeadlineSendingBookmarksOrStopsWhenTheWatchEnds() {
        WatchTimer timer = new WatchTimer(3, Duration.ofMillis(300), System::nanoTime);
        AtomicInteger bookmarks = new AtomicInteger();
        assertThat(timer.await(new CompletableFuture<>(), bookmarks::incrementAndGet)).isTrue();
        // A bookmark every 300 ms until 2 s before the 3 s deadline, then the pre-timeout one: at most four, and at
        // least one however late the thread wakes.
        assertThat(bookmarks.get()).isBetween(1, 4);

        WatchTimer other = new WatchTimer(60, Duration.ofMillis(300), System::nanoTime);
        assertThat(other.await(CompletableFuture.completedFuture(null), bookmarks::incrementAndGet)).isFalse();
    }
}
