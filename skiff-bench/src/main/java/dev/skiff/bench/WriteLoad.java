package dev.skiff.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Concurrent writers creating distinct keys, one virtual thread each, as fast as the target lets them.
 *
 * <p>All writers start together and stop at a common deadline; throughput is the number of creates divided by the
 * time until the last writer finished its last create, so a slow final write is not left out of the figure.
 */
final class WriteLoad {

    /** What one run measured. Latencies are per create, from call to return. */
    record Figures(int writers, long writes, double seconds, double p50Millis, double p99Millis) {
        double writesPerSecond() {
            return writes / seconds;
        }
    }

    private WriteLoad() {
    }

    /** Runs {@code writers} writers for {@code duration}, each creating keys {@code keyPrefix + writer/n}. */
    static Figures run(CreateTarget target, int writers, Duration duration, String keyPrefix, byte[] value)
            throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        long[] deadline = new long[1];
        Histogram[] latencies = new Histogram[writers];
        long[] counts = new long[writers];
        long[] finished = new long[writers];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>(writers);
        for (int w = 0; w < writers; w++) {
            int writer = w;
            latencies[w] = new Histogram(3);
            threads.add(Thread.ofVirtual().name("bench-writer-" + w).start(() -> {
                try {
                    go.await();
                    Histogram histogram = latencies[writer];
                    long end = deadline[0]; // published by the latch
                    long n = 0;
                    String base = keyPrefix + writer + "/";
                    while (System.nanoTime() < end && failure.get() == null) {
                        long start = System.nanoTime();
                        if (!target.create(base + n, value)) {
                            throw new IllegalStateException("key " + base + n + " already existed");
                        }
                        histogram.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                        n++;
                    }
                    counts[writer] = n;
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    finished[writer] = System.nanoTime();
                }
            }));
        }
        long begin = System.nanoTime();
        deadline[0] = begin + duration.toNanos();
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a writer failed: " + failure.get(), failure.get());
        }
        Histogram all = new Histogram(3);
        long writes = 0;
        long last = begin;
        for (int w = 0; w < writers; w++) {
            all.add(latencies[w]);
            writes += counts[w];
            last = Math.max(last, finished[w]);
        }
        double seconds = (last - begin) / 1e9;
        return new Figures(writers, writes, seconds, all.getValueAtPercentile(50) / 1000.0,
                all.getValueAtPercentile(99) / 1000.0);
    }

    /** Creates {@code count} keys {@code keyPrefix + %08d} with {@code writers} writers, for a later list. */
    static void load(CreateTarget target, int writers, int count, String keyPrefix, byte[] value)
            throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>(writers);
        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads.add(Thread.ofVirtual().name("bench-loader-" + w).start(() -> {
                try {
                    for (int i = writer; i < count && failure.get() == null; i += writers) {
                        String key = keyPrefix + String.format("%08d", i);
                        if (!target.create(key, value)) {
                            throw new IllegalStateException("key " + key + " already existed");
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("loading keys failed: " + failure.get(), failure.get());
        }
    }
}
