package dev.skiff.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.apiserver.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    /** One step: advance the clock by {@code advanceMillis}, reserve, expect that wait. */
    private record Step(long advanceMillis, long expectedWaitMillis) {
    }

    private static List<Long> run(double qps, int burst, List<Step> steps) {
        TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
        TokenBucket bucket = new TokenBucket(qps, burst, clock);
        List<Long> waits = new ArrayList<>();
        for (Step s : steps) {
            clock.advance(Duration.ofMillis(s.advanceMillis()));
            waits.add(bucket.reserve());
        }
        return waits;
    }

    @Test
    void aBurstIsFreeThenReservationsAreSpacedByTheRate() {
        // 50 QPS, burst 3 (the kubelet's shape, smaller): three at once, then one every 20 ms, queued ahead.
        List<Step> steps = List.of(new Step(0, 0), new Step(0, 0), new Step(0, 0), new Step(0, 20), new Step(0, 40),
                new Step(0, 60));
        assertThat(run(50, 3, steps)).containsExactly(0L, 0L, 0L, 20L, 40L, 60L);
    }

    @Test
    void tokensRefillWithTimeButNeverBeyondTheBurst() {
        List<Step> steps = List.of(
                new Step(0, 0), new Step(0, 0),        // the burst of 2 is spent
                new Step(20, 0),                       // one token refilled after 20 ms at 50 QPS
                new Step(0, 20),                       // none left: the next is due in 20 ms
                new Step(10_000, 0), new Step(0, 0),   // a long pause refills only up to the burst...
                new Step(0, 20));                      // ...so the third at once waits again
        assertThat(run(50, 2, steps)).containsExactly(0L, 0L, 0L, 20L, 0L, 0L, 20L);
    }

    @Test
    void waitingOutAReservationMakesTheNextOneDueAfterItsInterval() {
        List<Step> steps = List.of(new Step(0, 0), new Step(0, 100), new Step(100, 100), new Step(200, 0));
        assertThat(run(10, 1, steps)).containsExactly(0L, 100L, 100L, 0L);
    }

    @Test
    void rejectsALimitThatCouldNeverGrantATokenOrWriteAtAll() {
        TestClock clock = TestClock.atNow();
        assertThatThrownBy(() -> new TokenBucket(0, 1, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
