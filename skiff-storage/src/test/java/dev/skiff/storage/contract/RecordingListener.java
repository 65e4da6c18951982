package dev.skiff.storage.contract;

import dev.skiff.storage.WatchEnd;
import dev.skiff.storage.WatchEvent;
import dev.skiff.storage.WatchListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A watch listener that keeps what it receives, and notices concurrent calls (the contract forbids them). */
public final class RecordingListener implements WatchListener {

    private final List<WatchEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicReference<WatchEnd> end = new AtomicReference<>();
    private final AtomicInteger ends = new AtomicInteger();
    private final AtomicInteger inside = new AtomicInteger();
    private volatile boolean overlapped;

    @Override
    public void onEvent(WatchEvent event) {
        if (inside.incrementAndGet() != 1) {
            overlapped = true;
        }
        events.add(event);
        inside.decrementAndGet();
    }

    @Override
    public void onEnd(WatchEnd watchEnd) {
        ends.incrementAndGet();
        end.set(watchEnd);
    }

    public List<WatchEvent> events() {
        return List.copyOf(events);
    }

    public List<Long> revisions() {
        return events.stream().map(WatchEvent::revision).toList();
    }

    public WatchEnd end() {
        return end.get();
    }

    public int endCount() {
        return ends.get();
    }

    public boolean overlapped() {
        return overlapped;
    }
}
