package dev.skiff.node.runtime.contract;

import dev.skiff.node.runtime.InstanceEvent;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceListener;
import dev.skiff.node.runtime.InstanceState;
import dev.skiff.node.runtime.InstanceStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Keeps every event it receives and notices overlapping calls (the SPI forbids them for one listener). */
public final class RecordingListener implements InstanceListener {

    private final List<InstanceEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger inside = new AtomicInteger();
    private volatile boolean overlapped;

    @Override
    public void onEvent(InstanceEvent event) {
        if (inside.incrementAndGet() != 1) {
            overlapped = true;
        }
        events.add(event);
        inside.decrementAndGet();
    }

    public List<InstanceEvent> events() {
        return List.copyOf(events);
    }

    public List<InstanceEvent> eventsOf(InstanceId id) {
        return events.stream().filter(e -> e.id().equals(id)).toList();
    }

    public List<InstanceStatus> statusesOf(InstanceId id) {
        return events.stream()
                .filter(e -> e instanceof InstanceEvent.StatusChanged && e.id().equals(id))
                .map(e -> ((InstanceEvent.StatusChanged) e).status())
                .toList();
    }

    public Optional<InstanceStatus> latestOf(InstanceId id) {
        List<InstanceStatus> statuses = statusesOf(id);
        return statuses.isEmpty() ? Optional.empty() : Optional.of(statuses.getLast());
    }

    public boolean sawRunning(InstanceId id) {
        return statusesOf(id).stream().anyMatch(s -> s.state() instanceof InstanceState.Running);
    }

    public boolean sawRemoved(InstanceId id) {
        return eventsOf(id).stream().anyMatch(e -> e instanceof InstanceEvent.Removed);
    }

    public boolean overlapped() {
        return overlapped;
    }
}
