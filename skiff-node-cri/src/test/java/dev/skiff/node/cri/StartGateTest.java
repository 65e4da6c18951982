package dev.skiff.node.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bound on concurrent starts: never more holders than permits, a deleted start leaves the queue. */
class StartGateTest {

    @Test
    void neverMoreStartsAtOnceThanItsParallelismAndEveryStartGetsThrough() throws Exception {
        StartGate gate = new StartGate(2);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> starts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            starts.add(Thread.ofVirtual().start(() -> {
                try (StartGate.Permit permit = gate.enter(() -> { })) {
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    release.await();
                    inside.decrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        // Two hold permits; the other six queue behind them until they are released.
        await().atMost(Duration.ofSeconds(10)).until(() -> inside.get() == 2);
        assertThat(most.get()).isEqualTo(2);
        release.countDown();
        for (Thread t : starts) {
            assertThat(t.join(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(most.get()).isEqualTo(2);
        assertThat(inside.get()).isZero();
    }

    @Test
    void aQueuedStartWhoseInstanceIsDeletedStopsWaitingAndAClosedPermitIsReturnedOnce() throws Exception {
        StartGate gate = new StartGate(1);
        StartGate.Permit held = gate.enter(() -> { });
        AtomicBoolean deleted = new AtomicBoolean();
        CompletableFuture<Object> queued = CompletableFuture.supplyAsync(() -> gate.enter(() -> {
            if (deleted.get()) {
                throw new CriInstance.Interrupted();
            }
        }));
        assertThat(queued).isNotDone();
        deleted.set(true);
        assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(CriInstance.Interrupted.class);

        held.close();
        held.close(); // a second close must not add a permit
        StartGate.Permit again = gate.enter(() -> { });
        CompletableFuture<StartGate.Permit> second = CompletableFuture.supplyAsync(() -> gate.enter(() -> { }));
        assertThat(second).isNotDone();
        again.close();
        assertThat(second.get(10, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void zeroMeansUnbounded() {
        assertThat(new StartGate(0).parallelism()).isEqualTo(Integer.MAX_VALUE);
        assertThat(StartGate.unbounded().parallelism()).isEqualTo(Integer.MAX_VALUE);
        assertThat(new StartGate(3).parallelism()).isEqualTo(3);
    }
}
