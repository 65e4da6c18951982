package dev.skiff.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Concurrent API clients calling as fast as the server lets them, one platform thread per client.
 *
 * <p>Platform threads, not virtual ones: the server under test runs in the same JVM and handles its requests on
 * virtual threads, and client threads on the same carrier pool would compete with it in ways a real client in
 * another process does not.
 *
 * <p>Every call takes the next number from a shared counter (so names are unique across clients) and a run ends at
 * its deadline or once {@code maxCalls} numbers have been handed out, whichever comes first. Throughput is the
 * number of calls divided by the time until the last client finished its last call.
 */
final class ClientLoad {

    /** One client's call; {@code n} is unique across the run's clients. Blocking. */
    @FunctionalInterface
    interface Call {
        void call(long n) throws Exception;
    }

    /** What one run measured. Latencies are per call, from call to return. */
    record Figures(int clients, long calls, double seconds, double p50Millis, double p99Millis,
                   double maxMillis, boolean capped) {
        double callsPerSecond() {
            return calls / seconds;
        }
    }

    private ClientLoad() {
    }

    /**
     * Runs one thread per element of {@code clients} until {@code duration} has passed or {@code maxCalls} calls
     * were started; numbers start at {@code first}.
     */
    static Figures run(String name, List<? extends Call> clients, Duration duration, long first, long maxCalls)
            throws InterruptedException {
        int count = clients.size();
        CountDownLatch go = new CountDownLatch(1);
        long[] deadline = new long[1];
        AtomicLong next = new AtomicLong(first);
        long end = maxCalls > Long.MAX_VALUE - first ? Long.MAX_VALUE : first + maxCalls;
        Histogram[] latencies = new Histogram[count];
        long[] calls = new long[count];
        long[] finished = new long[count];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            int client = c;
            Call call = clients.get(c);
            latencies[c] = new Histogram(3);
            threads.add(Thread.ofPlatform().daemon().name("bench-" + name + "-" + c).start(() -> {
                try {
                    go.await();
                    Histogram histogram = latencies[client];
                    long stop = deadline[0]; // published by the latch
                    long done = 0;
                    while (System.nanoTime() < stop && failure.get() == null) {
                        long n = next.getAndIncrement();
                        if (n >= end) {
                            break;
                        }
                        long start = System.nanoTime();
                        call.call(n);
                        histogram.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                        done++;
                    }
                    calls[client] = done;
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    finished[client] = System.nanoTime();
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
            throw new IllegalStateException(name + ": a client failed: " + failure.get(), failure.get());
        }
        Histogram all = new Histogram(3);
        long total = 0;
        long last = begin;
        for (int c = 0; c < count; c++) {
            all.add(latencies[c]);
            total += calls[c];
            last = Math.max(last, finished[c]);
        }
        return new Figures(count, total, (last - begin) / 1e9, all.getValueAtPercentile(50) / 1000.0,
                all.getValueAtPercentile(99) / 1000.0, all.getMaxValue() / 1000.0, next.get() >= end);
    }

    /** Makes exactly {@code count} calls numbered {@code first...}, however long that takes. */
    static Figures load(String name, List<? extends Call> clients, long first, long count)
            throws InterruptedException {
        Figures figures = run(name, clients, Duration.ofDays(1), first, count);
        if (figures.calls() != count) {
            throw new IllegalStateException(name + ": made " + figures.calls() + " calls of " + count);
        }
        return figures;
    }
}
