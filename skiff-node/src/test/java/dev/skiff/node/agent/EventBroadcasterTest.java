package dev.skiff.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.apiserver.TestClock;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EventBroadcasterTest {

    private static Event event(int n) {
        return new EventBuilder().withNewMetadata().withName("e" + n).withNamespace("default").endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName("p" + n).endInvolvedObject()
                .withReason("Started").build();
    }

    @Test
    void queuesUpToItsLimitWhileTheWriterIsBusyAndDropsTheRest() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> written = new CopyOnWriteArrayList<>();
        // One writer, blocked on its first event; a queue of 3 behind it.
        try (EventBroadcaster b = new EventBroadcaster("test", new EventBroadcaster.Limits(3, 1, 1_000, 1_000),
                TestClock.atNow(), e -> {
                    awaitQuietly(release);
                    written.add(e.getMetadata().getName());
                })) {
            assertThat(b.offer(event(0))).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> b.offer(event(1)));  // e0 taken by the writer
            List<Boolean> accepted = IntStream.rangeClosed(2, 5).mapToObj(n -> b.offer(event(n))).toList();

            assertThat(accepted).containsExactly(true, true, false, false);
            assertThat(b.dropped()).isEqualTo(2);
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 4);
            assertThat(written).containsExactly("e0", "e1", "e2", "e3");
        }
    }

    @Test
    void aFailedWriteIsDroppedAndTheWriterGoesOn() {
        List<String> written = new CopyOnWriteArrayList<>();
        try (EventBroadcaster b = new EventBroadcaster("test", EventBroadcaster.Limits.kubelet(), TestClock.atNow(),
                e -> {
                    if (e.getMetadata().getName().equals("e1")) {
                        throw new IllegalStateException("event create answered 500");
                    }
                    written.add(e.getMetadata().getName());
                })) {
            IntStream.range(0, 3).forEach(n -> b.offer(event(n)));
            await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 2);
            assertThat(written).containsExactlyInAnyOrder("e0", "e2");
        }
    }

    @Test
    void nothingIsQueuedOnceClosed() {
        EventBroadcaster b = new EventBroadcaster("test", EventBroadcaster.Limits.kubelet(), TestClock.atNow(),
                e -> { });
        b.close();
        assertThat(b.offer(event(0))).isFalse();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
