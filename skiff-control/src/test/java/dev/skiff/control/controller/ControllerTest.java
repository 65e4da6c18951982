package dev.skiff.control.controller;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ControllerTest {

    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(4);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void neverReconcilesOneKeyOnTwoWorkersAtOnce() throws Exception {
        Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Reconciler reconciler = key -> {
            AtomicInteger counter = inFlight.computeIfAbsent(key, k -> new AtomicInteger());
            if (counter.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            try {
                // The first reconcile holds its key while more events for it arrive.
                release.await(5, TimeUnit.SECONDS);
            } finally {
                counter.decrementAndGet();
                runs.incrementAndGet();
            }
        };
        try (Controller controller = new Controller("test", reconciler, 4, executor)) {
            controller.start();
            controller.enqueue("ns/a");
            await().atMost(Duration.ofSeconds(5)).until(() -> inFlight.containsKey("ns/a")
                    && inFlight.get("ns/a").get() == 1);
            for (int i = 0; i < 20; i++) {
                controller.enqueue("ns/a");
            }
            release.countDown();
            // The first run, then exactly one more for all the adds that arrived while it ran.
            await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 2);
            assertThat(overlaps).hasValue(0);
        }
    }

    @Test
    void keysWaitForStartAndFailuresAreRetried() {
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        Reconciler reconciler = key -> {
            seen.add(key);
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("transient");
            }
        };
        try (Controller controller = new Controller("test", reconciler, 2, executor,
                new Backoff<>(Duration.ofMillis(1), Duration.ofMillis(20)))) {
            controller.enqueue("ns/a");
            assertThat(seen).isEmpty();
            controller.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 3);
            assertThat(seen).containsOnly("ns/a");
        }
    }

    @Test
    void differentKeysRunInParallel() {
        CountDownLatch both = new CountDownLatch(2);
        AtomicInteger finished = new AtomicInteger();
        Reconciler reconciler = key -> {
            both.countDown();
            // Only returns once the other key is in flight too: would time out with a single worker.
            if (both.await(5, TimeUnit.SECONDS)) {
                finished.incrementAndGet();
            }
        };
        try (Controller controller = new Controller("test", reconciler, 2, executor)) {
            controller.start();
            controller.enqueue("ns/a");
            controller.enqueue("ns/b");
            await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() == 2);
        }
    }
}
