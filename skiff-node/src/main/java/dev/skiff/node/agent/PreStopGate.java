package dev.skiff.node.agent;

import dev.skiff.node.agent.probe.PreStop;
import dev.skiff.node.agent.probe.ProbeManager;
import dev.skiff.node.runtime.InstanceStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Runs a deleted pod's preStop hooks once, before its instance is deleted, and says what grace period the delete
 * then gets (what the hooks left of it). Thread-safe; the reconciler asks again each time the pod is reconciled.
 */
final class PreStopGate {

    /** What the reconciler does now. */
    sealed interface Decision {

        /** Hooks are running: do nothing yet (the pod is enqueued again when they finish). */
        record Wait() implements Decision {
        }

        /** Delete the instance with this grace period (null: the spec's). */
        record Delete(Duration grace) implements Decision {
        }
    }

    private final PreStop preStop;
    private final ProbeManager.Sink sink;
    private final Consumer<String> enqueue;
    private final Map<String, CompletableFuture<Duration>> running = new ConcurrentHashMap<>();

    PreStopGate(PreStop preStop, ProbeManager.Sink sink, Consumer<String> enqueue) {
        this.preStop = preStop;
        this.sink = sink;
        this.enqueue = enqueue;
    }

    Decision decide(String uid, Pod pod, InstanceStatus instance, Duration grace) {
        CompletableFuture<Duration> hooks = running.get(uid);
        if (hooks == null) {
            if (instance.terminal() || instance.terminating() || (grace != null && grace.isZero())
                    || !PreStop.needed(pod, instance)) {
                return new Decision.Delete(grace);
            }
            // preStop hooks run before SIGTERM and eat into the grace period, as in the kubelet.
            Duration total = grace != null ? grace : ProbeManager.grace(pod, null);
            hooks = preStop.run(pod, instance, total, sink);
            running.put(uid, hooks);
            hooks.whenComplete((left, e) -> enqueue.accept(uid));
            return new Decision.Wait();
        }
        if (!hooks.isDone()) {
            return new Decision.Wait();
        }
        Duration left = hooks.join();
        return new Decision.Delete(grace == null || left.compareTo(grace) < 0 ? left : grace);
    }

    void forget(String uid) {
        running.remove(uid);
    }
}
