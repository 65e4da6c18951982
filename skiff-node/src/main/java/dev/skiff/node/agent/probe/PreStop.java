package dev.skiff.node.agent.probe;

import dev.skiff.node.runtime.ContainerStatus;
import dev.skiff.node.runtime.InstanceStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * preStop hooks of a pod being deleted, as the kubelet's {@code killContainer} runs them: for every running
 * container with one, in parallel, before the container gets SIGTERM, all within the deletion's grace period; what
 * is left of the grace period (at least 2 s, upstream's {@code minimumGracePeriodInSeconds}) is then the time
 * between SIGTERM and SIGKILL. A failing hook is reported ({@code FailedPreStopHook}) and does not stop the
 * deletion. Thread-safe.
 */
public final class PreStop {

    static final Duration MINIMUM_GRACE = Duration.ofSeconds(2);

    private final Handlers handlers;
    private final Clock clock;

    public PreStop(Handlers handlers, Clock clock) {
        this.handlers = handlers;
        this.clock = clock;
    }

    /** Whether any running container of the instance has a preStop hook (nothing to wait for otherwise). */
    public static boolean needed(Pod pod, InstanceStatus status) {
        for (ContainerStatus c : status.containers()) {
            if (c.running() && hook(pod, c.name()) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs the hooks; the future completes (never exceptionally) when all finished or {@code grace} passed, with
     * the grace period left for SIGTERM-to-SIGKILL.
     */
    public CompletableFuture<Duration> run(Pod pod, InstanceStatus status, Duration grace, ProbeManager.Sink sink) {
        Instant start = clock.instant();
        List<CompletableFuture<Void>> hooks = new ArrayList<>();
        String ip = status.podIp() == null ? null : status.podIp().getHostAddress();
        for (ContainerStatus c : status.containers()) {
            LifecycleHandler hook = hook(pod, c.name());
            if (!c.running() || hook == null) {
                continue;
            }
            Container container = pod.getSpec().getContainers().stream().filter(x -> x.getName().equals(c.name()))
                    .findFirst().orElseThrow();
            CompletableFuture<Void> done = new CompletableFuture<>();
            Thread.ofVirtual().name("pre-stop-" + c.name()).start(() -> {
                try {
                    Outcome o = handlers.hook(hook, new Target(status.id(), pod, container, ip), grace);
                    if (!o.success()) {
                        sink.event(pod, c.name(), true, "FailedPreStopHook", "PreStopHook failed: " + o.output());
                    }
                } finally {
                    done.complete(null);
                }
            });
            hooks.add(done);
        }
        return CompletableFuture.allOf(hooks.toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, grace.toMillis(), TimeUnit.MILLISECONDS)
                .handle((v, e) -> {
                    Duration left = grace.minus(Duration.between(start, clock.instant()));
                    return left.compareTo(MINIMUM_GRACE) < 0 ? MINIMUM_GRACE : left;
                });
    }

    private static LifecycleHandler hook(Pod pod, String container) {
        for (Container c : pod.getSpec().getContainers()) {
            if (c.getName().equals(container) && c.getLifecycle() != null) {
                return c.getLifecycle().getPreStop();
            }
        }
        return null;
    }
}
