package dev.skiff.node.simulated;

import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.ContainerStatus;
import dev.skiff.node.runtime.InstanceStatus;
import dev.skiff.node.runtime.LogLine;
import dev.skiff.node.runtime.LogOptions;
import dev.skiff.node.runtime.LogStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * A log stream over {@link SyntheticLogs}. Following, it follows one attempt of the container (the current one, or
 * the first if none started yet) and ends when that attempt exits, when the instance is removed, or on close, as
 * {@code kubectl logs -f} ends when the container exits. The runtime wakes it on each change of the instance.
 */
final class SimLogStream implements LogStream {

    private final SimulatedRuntime runtime;
    private final String container;
    private final LogOptions options;
    private final Deque<LogLine> buffer = new ArrayDeque<>();
    private final Semaphore changes = new Semaphore(0);
    private volatile InstanceStatus latest;
    private volatile boolean closed;
    private String attemptId;
    private int consumed;
    private long bytes;
    private boolean ended;

    SimLogStream(SimulatedRuntime runtime, InstanceStatus status, String container, LogOptions options) {
        this.runtime = runtime;
        this.container = container;
        this.options = options;
        this.latest = status;
        ContainerStatus c = status.container(container).orElseThrow();
        List<LogLine> lines = options.previous() ? SyntheticLogs.previous(status, c) : SyntheticLogs.current(status, c);
        this.attemptId = c.containerId();
        this.consumed = lines.size();
        List<LogLine> since = options.sinceTime() == null ? lines
                : lines.stream().filter(l -> !l.timestamp().isBefore(options.sinceTime())).toList();
        int from = options.tailLines() >= 0 ? Math.max(0, since.size() - options.tailLines()) : 0;
        buffer.addAll(since.subList(from, since.size()));
        this.ended = !options.follow() || options.previous();
        // Following: look once more after the buffer drains, in case the attempt is already over.
        changes.release();
    }

    /** The instance changed (or was removed, with its last status): look again. */
    void wake(InstanceStatus status) {
        latest = status;
        changes.release();
    }

    @Override
    public Optional<LogLine> next() throws InterruptedException {
        while (!closed) {
            LogLine line = buffer.poll();
            if (line != null) {
                long size = line.text().getBytes(StandardCharsets.UTF_8).length + 1L;
                if (options.limitBytes() > 0 && bytes + size > options.limitBytes()) {
                    close();
                    return Optional.empty();
                }
                bytes += size;
                return Optional.of(line);
            }
            if (ended) {
                break;
            }
            changes.acquire();
            changes.drainPermits();
            refill();
        }
        close();
        return Optional.empty();
    }

    /** Adds the followed attempt's new lines and decides whether it is over. */
    private void refill() {
        InstanceStatus status = latest;
        ContainerStatus c = status.container(container).orElseThrow();
        ContainerState attemptState;
        if (attemptId.isEmpty() && !c.containerId().isEmpty()) {
            attemptId = c.containerId();
        }
        if (!attemptId.isEmpty() && !attemptId.equals(c.containerId())) {
            ended = true;
            return;
        }
        // Waiting with the same id means the attempt exited and the container waits to restart: use lastState.
        attemptState = c.state() instanceof ContainerState.Waiting && c.lastState() != null && !attemptId.isEmpty()
                ? c.lastState() : c.state();
        List<LogLine> lines = SyntheticLogs.lines(status, c, attemptState, c.restartCount() + 1);
        for (int i = consumed; i < lines.size(); i++) {
            LogLine line = lines.get(i);
            if (options.sinceTime() == null || !line.timestamp().isBefore(options.sinceTime())) {
                buffer.add(line);
            }
        }
        consumed = Math.max(consumed, lines.size());
        boolean attemptOver = attemptState instanceof ContainerState.Terminated
                || (attemptState instanceof ContainerState.Waiting && !attemptId.isEmpty());
        if (attemptOver || !runtime.exists(status.id()) || status.terminal()) {
            ended = true;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            runtime.unfollow(latest.id(), this);
        }
        changes.release();
    }
}
