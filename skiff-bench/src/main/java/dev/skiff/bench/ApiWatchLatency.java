package dev.skiff.bench;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Watch fan-out through the API: many watches on the pods of one namespace, a writer patching those pods at a
 * steady pace, each patch stamping the pod with its sequence number. Per delivery to every watch, two figures:
 * <ul>
 *   <li><b>delivery</b>: receive time minus the moment the writer's patch returned (0 when the event arrived
 *       first) — what the watch path adds once a write is acknowledged;</li>
 *   <li><b>end to end</b>: receive time minus the moment the patch was sent, which includes the write itself.</li>
 * </ul>
 * The watches are either fabric8 watches (WebSocket; received = fabric8 hands the decoded Pod to the watcher) or
 * {@link RawWatches} (HTTP/2 streams; received = the event's line has arrived). Before the paced writes, one probe
 * patch must reach every watch: proof that all of them are open.
 */
final class ApiWatchLatency {

    static final String SEQUENCE_ANNOTATION = "bench.skiff.dev/sequence";

    /** Latencies in milliseconds over every delivery of the paced events. */
    record Figures(String kind, int watchers, int connections, int events, int ratePerSecond, double setupSeconds,
                   double writeP99, double endToEndP50, double endToEndP99, double endToEndMax, double deliveryP50,
                   double deliveryP99, double deliveryMax) {
    }

    /** One watch's receive times, by sequence number; each number counts once. */
    static final class Receiver {
        final long[] receivedAt;
        final AtomicInteger received = new AtomicInteger();
        final AtomicReference<String> closed = new AtomicReference<>();

        Receiver(int events) {
            receivedAt = new long[events];
        }

        /** Called by one thread at a time (the watch's own delivery). */
        void received(int sequence, long now) {
            if (sequence >= 0 && sequence < receivedAt.length && receivedAt[sequence] == 0) {
                receivedAt[sequence] = now;
                received.incrementAndGet();
            }
        }

        void closed(String why) {
            closed.compareAndSet(null, why);
        }
    }

    /** Opens the watches (from {@code revision}), one per receiver; closing the result closes them all. */
    @FunctionalInterface
    interface Opener {
        AutoCloseable open(String revision, List<Receiver> receivers) throws Exception;
    }

    private ApiWatchLatency() {
    }

    /** fabric8 watches spread over {@code clients}, opened from a few threads (each is a TLS handshake). */
    static Opener fabric8(List<KubernetesClient> clients, String namespace) {
        return (revision, receivers) -> {
            List<Watch> watches = new ArrayList<>();
            List<Future<Watch>> opened = new ArrayList<>();
            try (ExecutorService openers = Executors.newFixedThreadPool(8)) {
                for (int w = 0; w < receivers.size(); w++) {
                    Receiver receiver = receivers.get(w);
                    KubernetesClient client = clients.get(w % clients.size());
                    opened.add(openers.submit(() -> client.pods().inNamespace(namespace)
                            .watch(new ListOptionsBuilder().withResourceVersion(revision).build(),
                                    new Fabric8Receiver(receiver))));
                }
                for (Future<Watch> watch : opened) {
                    watches.add(watch.get(5, TimeUnit.MINUTES));
                }
            }
            return () -> watches.forEach(Watch::close);
        };
    }

    /** Raw HTTP/2 watch streams on {@code url} (the collection's URL). */
    static Opener raw(javax.net.ssl.SSLContext tls, String url) {
        return (revision, receivers) -> {
            RawWatches watches = new RawWatches(tls, receivers.size());
            String watchUrl = url + "?watch=true&allowWatchBookmarks=false&timeoutSeconds=3600&resourceVersion="
                    + revision;
            for (int w = 0; w < receivers.size(); w++) {
                watches.open(w, watchUrl, receivers.get(w));
            }
            return watches;
        };
    }

    /** Hands fabric8's decoded events to a receiver. */
    private record Fabric8Receiver(Receiver receiver) implements Watcher<Pod> {
        @Override
        public void eventReceived(Action action, Pod pod) {
            long now = System.nanoTime();
            Map<String, String> annotations = pod.getMetadata().getAnnotations();
            String sequence = annotations == null ? null : annotations.get(SEQUENCE_ANNOTATION);
            if (action == Action.MODIFIED && sequence != null) {
                receiver.received(Integer.parseInt(sequence), now);
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            receiver.closed(String.valueOf(cause));
        }
    }

    /**
     * Opens {@code watchers} watches with {@code opener}, then patches {@code pods} (round robin) through
     * {@code writer}, {@code events} times at {@code ratePerSecond}.
     */
    static Figures run(String kind, int connections, Opener opener, KubernetesClient writer, String namespace,
            List<String> pods, int watchers, int events, int ratePerSecond, Duration deliveryDeadline)
            throws Exception {
        int slots = events + 1; // slot 0 is the probe
        List<Receiver> receivers = new ArrayList<>(watchers);
        for (int w = 0; w < watchers; w++) {
            receivers.add(new Receiver(slots));
        }
        long[] sentAt = new long[slots];
        AtomicLongArray ackedAt = new AtomicLongArray(slots);
        Histogram writes;
        double setupSeconds;
        String revision = writer.pods().inNamespace(namespace).list().getMetadata().getResourceVersion();
        long setupStart = System.nanoTime();
        try (AutoCloseable watches = opener.open(revision, receivers)) {
            patch(writer, namespace, pods.getFirst(), 0);
            awaitDelivery(receivers, 1, deliveryDeadline);
            setupSeconds = (System.nanoTime() - setupStart) / 1e9;
            writes = write(writer, namespace, pods, events, ratePerSecond, sentAt, ackedAt);
            awaitDelivery(receivers, slots, deliveryDeadline);
        }
        Histogram endToEnd = new Histogram(3);
        Histogram delivery = new Histogram(3);
        for (Receiver receiver : receivers) {
            for (int i = 1; i < slots; i++) {
                long received = receiver.receivedAt[i];
                endToEnd.recordValue(Math.max(1, (received - sentAt[i]) / 1000));
                delivery.recordValue(Math.max(1, (received - ackedAt.get(i)) / 1000));
            }
        }
        return new Figures(kind, watchers, connections, events, ratePerSecond, setupSeconds,
                writes.getValueAtPercentile(99) / 1000.0, endToEnd.getValueAtPercentile(50) / 1000.0,
                endToEnd.getValueAtPercentile(99) / 1000.0, endToEnd.getMaxValue() / 1000.0,
                delivery.getValueAtPercentile(50) / 1000.0, delivery.getValueAtPercentile(99) / 1000.0,
                delivery.getMaxValue() / 1000.0);
    }
    private static void patch(KubernetesClient writer, String namespace, String pod, int sequence) {
        writer.pods().inNamespace(namespace).withName(pod).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"" + SEQUENCE_ANNOTATION + "\":\"" + sequence + "\"}}}");
    }

    /** Patches at the pace, each on its own thread so that a slow patch does not delay the next. */
    private static Histogram write(KubernetesClient writer, String namespace, List<String> pods, int events,
            int ratePerSecond, long[] sentAt, AtomicLongArray ackedAt) throws InterruptedException {
        Histogram latencies = new ConcurrentHistogram(3);
        long interval = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>(events);
        long begin = System.nanoTime();
        for (int i = 1; i <= events && failure.get() == null; i++) {
            long due = begin + (i - 1) * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            int sequence = i;
            String pod = pods.get(i % pods.size());
            threads.add(Thread.ofPlatform().daemon().name("bench-watch-writer").start(() -> {
                try {
                    long sent = System.nanoTime();
                    sentAt[sequence] = sent;
                    patch(writer, namespace, pod, sequence);
                    long acked = System.nanoTime();
                    ackedAt.set(sequence, acked);
                    latencies.recordValue(Math.max(1, (acked - sent) / 1000));
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join(); // also publishes sentAt
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a watched write failed: " + failure.get(), failure.get());
        }
        return latencies;
    }

    /**
     * Waits until every watch has received {@code expected} of the stamped events (each sequence number counts once;
     * reading the counter also makes the receive times visible here).
     */
    private static void awaitDelivery(List<Receiver> receivers, int expected, Duration deadline) {
        long until = System.nanoTime() + deadline.toNanos();
        while (true) {
            long missing = 0;
            for (Receiver receiver : receivers) {
                if (receiver.closed.get() != null) {
                    throw new IllegalStateException("a watch closed early: " + receiver.closed.get());
                }
                missing += expected - receiver.received.get();
            }
            if (missing == 0) {
                return;
            }
            if (System.nanoTime() > until) {
                throw new IllegalStateException(missing + " watch deliveries still missing after " + deadline);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
