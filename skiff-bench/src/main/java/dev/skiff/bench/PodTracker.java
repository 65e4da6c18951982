package dev.skiff.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one watch on the benchmark's namespace saw: for each pod, when it first appeared and when it was first seen
 * Running; how many pods exist and how many are Running now. Pod startup latency is measured as the Kubernetes SLO
 * does (creation until the watch observes the pod Running), with one substitution: {@code creationTimestamp} has
 * one-second resolution, so the moment the watch first delivered the pod stands for its creation (a few
 * milliseconds late at most, which shortens the figure by that much).
 *
 * <p>Thread-safe: the watch thread records, the benchmark thread reads; every method is synchronized and waiting is
 * done with {@link #awaitCounts}.
 */
final class PodTracker implements Watcher<Pod> {

    /** {@code boundNanos} is 0 until the pod is first seen with a node. */
    private record Seen(long firstNanos, long boundNanos, boolean running) {
    }

    /** One step's latency windows: the whole startup and its two stages (scheduler; node agent). */
    record Windows(Histogram startup, Histogram toBound, Histogram boundToRunning) {
        static Windows empty() {
            return new Windows(new Histogram(3), new Histogram(3), new Histogram(3));
        }
    }

    private final Map<String, Seen> pods = new HashMap<>();
    private int running;
    private Windows windows = Windows.empty();
    private String closedReason;

    @Override
    public synchronized void eventReceived(Action action, Pod pod) {
        long now = System.nanoTime();
        String name = pod.getMetadata().getName();
        switch (action) {
            case ADDED, MODIFIED -> {
                Seen seen = pods.get(name);
                if (seen == null) {
                    seen = new Seen(now, 0, false);
                }
                long bound = seen.boundNanos();
                if (bound == 0 && pod.getSpec() != null && pod.getSpec().getNodeName() != null) {
                    bound = now;
                    windows.toBound().recordValue(Math.max(1, (now - seen.firstNanos()) / 1000));
                }
                boolean isRunning = pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
                        && pod.getMetadata().getDeletionTimestamp() == null;
                if (isRunning && !seen.running()) {
                    windows.startup().recordValue(Math.max(1, (now - seen.firstNanos()) / 1000));
                    if (bound != 0) {
                        windows.boundToRunning().recordValue(Math.max(1, (now - bound) / 1000));
                    }
                    running++;
                } else if (!isRunning && seen.running()) {
                    running--;
                }
                pods.put(name, new Seen(seen.firstNanos(), bound, isRunning));
            }
            case DELETED -> {
                Seen seen = pods.remove(name);
                if (seen != null && seen.running()) {
                    running--;
                }
            }
            default -> {
                // BOOKMARK and ERROR carry no pod state.
            }
        }
        notifyAll();
    }

    @Override
    public synchronized void onClose(WatcherException cause) {
        closedReason = String.valueOf(cause);
        notifyAll();
    }

    /**
     * Starts new latency windows (one per scale step). The stage windows say which stage queues: first sighting
     * until a node is set (the ReplicaSet controller's create landed, the scheduler bound it), then until Running
     * (the node agent ran the instance and wrote its status).
     */
    synchronized Windows takeWindows() {
        Windows taken = windows;
        windows = Windows.empty();
        return taken;
    }

    /**
     * Waits until {@code running} pods are Running and {@code existing} pods exist (either may be -1 for any), or
     * until the deadline; returns whether the counts were reached.
     */
    synchronized boolean awaitCounts(int runningWanted, int existingWanted, long deadlineNanos)
            throws InterruptedException {
        while (true) {
            boolean ok = (runningWanted < 0 || running >= runningWanted)
                    && (existingWanted < 0 || pods.size() == existingWanted);
            if (ok) {
                return true;
            }
            if (closedReason != null) {
                throw new IllegalStateException("the benchmark's pod watch closed: " + closedReason);
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, Math.min(left / 1_000_000, 1000)));
        }
    }

    synchronized int running() {
        return running;
    }

    synchronized int existing() {
        return pods.size();
    }
}
