package dev.skiff.bench.sandbox;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pods of one namespace started and observed: {@link #start} times a pod from the moment the create call is issued
 * (creationTimestamp has one-second resolution, so the benchmark's own clock is the start) until the namespace's
 * watch first delivers it Running. The watch's thread records; callers wait with a deadline.
 *
 * <p>Thread-safe: every method on the shared state is synchronized; creates may come from several threads (the
 * burst).
 */
final class PodStarts implements Watcher<Pod>, AutoCloseable {

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, Long> runningAt = new HashMap<>();
    private final Map<String, Long> boundAt = new HashMap<>();
    private final Map<String, String> failures = new HashMap<>();
    private final Map<String, Boolean> present = new HashMap<>();
    private final Watch watch;
    private String closedReason;

    /** What every benchmark pod runs. */
    static final List<String> COMMAND = List.of("sleep", "3600");

    PodStarts(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        this.watch = client.pods().inNamespace(namespace).watch(this);
    }

    /** A pod that sleeps in {@code image}, removed at once when deleted. */
    static Pod pod(String name, String image, Map<String, String> annotations) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withAnnotations(annotations).endMetadata()
                .withNewSpec()
                .withTerminationGracePeriodSeconds(0L)
                .withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage(image).withImagePullPolicy("IfNotPresent")
                .withCommand(COMMAND).endContainer()
                .endSpec().build();
    }

    /** Issues the create and returns the nanoTime just before it (the start of the measured window). */
    long create(Pod pod) {
        long t0 = System.nanoTime();
        client.pods().inNamespace(namespace).resource(pod).create();
        return t0;
    }

    /** Creates {@code pod} and waits until it runs; milliseconds from the create call until the watch saw Running. */
    double start(Pod pod, long timeoutNanos) throws InterruptedException {
        long t0 = create(pod);
        long running = awaitRunning(pod.getMetadata().getName(), System.nanoTime() + timeoutNanos);
        return (running - t0) / 1e6;
    }

    /** Waits until the watch saw {@code name} Running; returns that nanoTime. */
    synchronized long awaitRunning(String name, long deadlineNanos) throws InterruptedException {
        while (true) {
            Long at = runningAt.get(name);
            if (at != null) {
                return at;
            }
            check(name, deadlineNanos, "Running");
            waitUntil(deadlineNanos);
        }
    }

    /** When the watch first saw {@code name} with a node (the scheduler's binding), or 0 if not yet. */
    synchronized long boundAt(String name) {
        return boundAt.getOrDefault(name, 0L);
    }

    /** Deletes {@code name} with no grace period and waits until the watch saw it gone. */
    void delete(String name, long timeoutNanos) throws InterruptedException {
        client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (this) {
            while (present.containsKey(name)) {
                if (closedReason != null) {
                    throw new IllegalStateException("the benchmark's pod watch closed: " + closedReason);
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("pod " + name + " was not removed in time");
                }
                waitUntil(deadline);
            }
        }
    }

    private void check(String name, long deadlineNanos, String what) {
        if (closedReason != null) {
            throw new IllegalStateException("the benchmark's pod watch closed: " + closedReason);
        }
        String failure = failures.get(name);
        if (failure != null) {
            throw new IllegalStateException("pod " + name + " did not start: " + failure);
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new IllegalStateException("pod " + name + " was not " + what + " in time");
        }
    }

    private void waitUntil(long deadlineNanos) throws InterruptedException {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        wait(Math.max(1, Math.min(left, 1000)));
    }

    @Override
    public synchronized void eventReceived(Action action, Pod pod) {
        long now = System.nanoTime();
        String name = pod.getMetadata().getName();
        if (action == Action.DELETED) {
            present.remove(name);
            runningAt.remove(name);
            boundAt.remove(name);
            failures.remove(name);
        } else if (action == Action.ADDED || action == Action.MODIFIED) {
            present.put(name, Boolean.TRUE);
            if (pod.getSpec() != null && pod.getSpec().getNodeName() != null) {
                boundAt.putIfAbsent(name, now);
            }
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if ("Running".equals(phase)) {
                runningAt.putIfAbsent(name, now);
            } else if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
                failures.put(name, "phase " + phase);
            } else if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
                pod.getStatus().getContainerStatuses().stream()
                        .filter(s -> s.getState() != null && s.getState().getWaiting() != null)
                        .map(s -> s.getState().getWaiting())
                        .filter(w -> "ErrImagePull".equals(w.getReason()) || "ImagePullBackOff".equals(w.getReason())
                                || "CreateContainerError".equals(w.getReason()))
                        .findFirst()
                        .ifPresent(w -> failures.put(name, w.getReason() + ": " + w.getMessage()));
            }
        }
        notifyAll();
    }

    @Override
    public synchronized void onClose(WatcherException cause) {
        closedReason = String.valueOf(cause);
        notifyAll();
    }

    @Override
    public void close() {
        watch.close();
    }
}
