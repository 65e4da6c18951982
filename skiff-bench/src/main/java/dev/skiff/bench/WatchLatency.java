package dev.skiff.bench;

import dev.skiff.storage.Backend;
import dev.skiff.storage.KeyRange;
import dev.skiff.storage.Watch;
import dev.skiff.storage.WatchEnd;
import dev.skiff.storage.WatchEvent;
import dev.skiff.storage.WatchListener;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Watch fan-out latency: many watches on one prefix, one writer at a steady pace, each value carrying the time it
 * was sent and its index. Two figures per delivery to every watch: end to end (receive time minus send time, which
 * includes the write's own disk sync, as a watch cannot see a write before it is durable), and delivery (receive
 * time minus the moment the write was acknowledged to its writer, 0 when the event arrived first): what the watch
 * machinery itself adds.
 *
 * <p>Each write is issued on its own virtual thread at its scheduled time, so the pace holds even when a commit
 * takes longer than the interval between writes.
 */
final class WatchLatency {

    /** Delivery latencies over every delivery, and for comparison the writes' own commit latencies. */
    record Figures(int watchers, int events, int ratePerSecond, double p50Millis, double p99Millis,
                   double maxMillis, double commitP99Millis, double deliveryP50Millis, double deliveryP99Millis,
                   double deliveryMaxMillis) {
    }

    /** One watch's receiver. The engine calls it one event at a time, so its histogram needs no lock. */
    private static final class Receiver implements WatchListener {
        final Histogram latencies = new Histogram(3);
        final long[] receivedAt;
        volatile int received;
        final AtomicReference<WatchEnd> end = new AtomicReference<>();

        Receiver(int events) {
            receivedAt = new long[events];
        }

        @Override
        public void onEvent(WatchEvent event) {
            long now = System.nanoTime();
            if (event instanceof WatchEvent.Put put) {
                ByteBuffer value = ByteBuffer.wrap(put.current().value());
                long sent = value.getLong();
                receivedAt[value.getInt()] = now;
                latencies.recordValue(Math.max(1, (now - sent) / 1000));
                received++;
            }
        }

        @Override
        public void onEnd(WatchEnd watchEnd) {
            end.set(watchEnd);
        }
    }

    private WatchLatency() {
    }

    static Figures run(Backend backend, int watchers, int events, int ratePerSecond, String prefix, int valueBytes,
                       Duration deliveryDeadline) throws InterruptedException {
        List<Receiver> receivers = new ArrayList<>();
        List<Watch> watches = new ArrayList<>();
        AtomicLongArray ackedAt = new AtomicLongArray(events);
        Histogram commits;
        try {
            for (int i = 0; i < watchers; i++) {
                Receiver receiver = new Receiver(events);
                receivers.add(receiver);
                watches.add(backend.watch(KeyRange.prefix(prefix), 0, receiver));
            }
            commits = write(backend, events, ratePerSecond, prefix, valueBytes, ackedAt);
            awaitDelivery(receivers, events, deliveryDeadline);
        } finally {
            watches.forEach(Watch::cancel);
        }
        Histogram all = new Histogram(3);
        Histogram delivery = new Histogram(3);
        for (Receiver receiver : receivers) {
            all.add(receiver.latencies);
            for (int i = 0; i < events; i++) {
                delivery.recordValue(Math.max(1, (receiver.receivedAt[i] - ackedAt.get(i)) / 1000));
            }
        }
        return new Figures(watchers, events, ratePerSecond, all.getValueAtPercentile(50) / 1000.0,
                all.getValueAtPercentile(99) / 1000.0, all.getMaxValue() / 1000.0,
                commits.getValueAtPercentile(99) / 1000.0, delivery.getValueAtPercentile(50) / 1000.0,
                delivery.getValueAtPercentile(99) / 1000.0, delivery.getMaxValue() / 1000.0);
    }

    /** Writes at the pace; returns how long each create took to commit, in microseconds. */
    private static Histogram write(Backend backend, int events, int ratePerSecond, String prefix, int valueBytes,
            AtomicLongArray ackedAt) throws InterruptedException {
        Histogram commits = new ConcurrentHistogram(3);
        long interval = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> writes = new ArrayList<>(events);
        long begin = System.nanoTime();
        for (int i = 0; i < events && failure.get() == null; i++) {
            long due = begin + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            String key = prefix + String.format("%08d", i);
            int index = i;
            writes.add(Thread.ofVirtual().start(() -> {
                try {
                    byte[] value = new byte[valueBytes];
                    long sent = System.nanoTime();
                    ByteBuffer.wrap(value).putLong(sent).putInt(index);
                    if (!backend.create(key, value).committed()) {
                        throw new IllegalStateException("key " + key + " already existed");
                    }
                    long acked = System.nanoTime();
                    ackedAt.set(index, acked);
                    commits.recordValue(Math.max(1, (acked - sent) / 1000));
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        for (Thread write : writes) {
            write.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a watched write failed: " + failure.get(), failure.get());
        }
        return commits;
    }

    private static void awaitDelivery(List<Receiver> receivers, int events, Duration deadline) {
        long until = System.nanoTime() + deadline.toNanos();
        while (true) {
            long missing = 0;
            for (Receiver receiver : receivers) {
                if (receiver.end.get() != null) {
                    throw new IllegalStateException("a watch ended early: " + receiver.end.get());
                }
                missing += events - receiver.received;
            }
            if (missing == 0) {
                return;
            }
            if (System.nanoTime() > until) {
                throw new IllegalStateException(missing + " watch deliveries still missing after " + deadline);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
