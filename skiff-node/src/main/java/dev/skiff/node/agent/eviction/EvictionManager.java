package dev.skiff.node.agent.eviction;

import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceRuntime;
import dev.skiff.node.runtime.InstanceStatus;
import dev.skiff.node.stats.PodStorage;
import dev.skiff.node.stats.StorageMeter;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's eviction manager, for ephemeral storage: {@link #housekeeping()} (called every housekeeping
 * interval by the node agent) measures every active pod and acts on the {@link StoragePolicy}'s verdict. An
 * eviction is handed to the agent, which records the {@code Evicted} Event, kills the instance at once (the
 * kubelet's local-storage evictions use a grace period of 0) and writes the pod Failed/Evicted. An instance out of
 * storage without eviction enabled gets one Warning Event per episode (again after it went back under).
 *
 * <p>Thread-safe; a pass blocks on the runtime and the file system, so it runs on a virtual thread. One pass at a
 * time: a pass still running when the next is due makes that one a no-op.
 */
public final class EvictionManager {

    private static final Logger LOG = LoggerFactory.getLogger(EvictionManager.class);
    /** The reason of the Warning Event about an exhausted instance whose pod is not evicted. */
    public static final String EXHAUSTED_REASON = "EphemeralStorageExhausted";

    /** What the node agent does about a verdict. */
    public interface Actions {

        /** Evicts the pod (idempotent: a pod already being evicted is left alone). */
        void evict(Pod pod, String message, boolean instanceExhausted);

        /** Records a Warning Event about the pod. */
        void warn(Pod pod, String reason, String message);
    }

    private final Supplier<? extends Collection<Pod>> pods;
    private final InstanceRuntime runtime;
    private final StorageMeter meter;
    private final Actions actions;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param pods the pods bound to the node (the agent's informer store)
     */
    public EvictionManager(Supplier<? extends Collection<Pod>> pods, InstanceRuntime runtime, StorageMeter meter,
                           Actions actions) {
        this.pods = pods;
        this.runtime = runtime;
        this.meter = meter;
        this.actions = actions;
    }

    /** One pass over the active pods. */
    public void housekeeping() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            Set<String> seen = new HashSet<>();
            for (Pod pod : List.copyOf(pods.get())) {
                seen.add(pod.getMetadata().getUid());
                try {
                    check(pod);
                } catch (RuntimeException e) {
                    LOG.warn("ephemeral storage of pod {}/{} not checked: {}", pod.getMetadata().getNamespace(),
                            pod.getMetadata().getName(), e.toString());
                }
            }
            warned.retainAll(seen);
        } finally {
            running.set(false);
        }
    }

    private void check(Pod pod) {
        if (!active(pod)) {
            return;
        }
        Optional<PodStorage> storage = meter.measure(pod);
        if (storage.isEmpty()) {
            return;
        }
        String uid = pod.getMetadata().getUid();
        switch (StoragePolicy.judge(pod, storage.get())) {
            case Verdict.Within w -> warned.remove(uid);
            case Verdict.Evict e -> {
                LOG.info("evicting pod {}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                        e.message());
                actions.evict(pod, e.message(), e.instanceExhausted());
            }
            case Verdict.Exhausted x -> {
                if (warned.add(uid)) {
                    actions.warn(pod, EXHAUSTED_REASON, x.message());
                }
            }
        }
    }

    /** Pods the kubelet would consider: not terminating, not terminal, with an instance that has not ended. */
    private boolean active(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return false;
        }
        Optional<InstanceStatus> instance = runtime.status(InstanceId.of(pod.getMetadata().getUid()));
        return instance.isPresent() && !instance.get().terminal();
    }
}
