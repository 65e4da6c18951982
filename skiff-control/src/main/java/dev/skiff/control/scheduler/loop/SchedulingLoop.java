package dev.skiff.control.scheduler.loop;

import dev.skiff.control.controller.EventQueue;
import dev.skiff.control.scheduler.Decision;
import dev.skiff.control.scheduler.ScheduleResult;
import dev.skiff.control.scheduler.Scheduler;
import dev.skiff.control.scheduler.framework.ClusterSnapshot;
import dev.skiff.control.informers.SharedInformers;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The scheduler as a running component: informers feed the snapshot, pending pods are scheduled in batches, the
 * decisions are written through {@link ApiWrites}.
 *
 * <p>Threading: informer callbacks and write completions only append deltas to a queue and kick a cycle; every
 * cycle runs on the single-threaded {@code loop} executor, which alone touches the snapshot and the queues (the
 * {@link Scheduler} and {@link ClusterSnapshot} are not thread-safe). Writes (bindings, conditions, events) run
 * concurrently on the {@code writes} executor: binding is the throughput path, and upstream binds asynchronously
 * too (the pod is "assumed" in the snapshot until its binding is observed).
 *
 * <p>Retries: an unschedulable pod waits in an unschedulable set until a node is added or changes (the only events
 * that can make a virtual node fit) or its backoff expires; a failed binding is undone in the snapshot and retried
 * after a backoff.
 */
public final class SchedulingLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulingLoop.class);

    private final KubernetesClient client;
    private final Scheduler scheduler;
    private final LoopConfig config;
    private final Clock clock;
    private final ScheduledExecutorService loop;
    private final ExecutorService writes;
    private final ApiWrites api;
    private final EventQueue events;

    private final Queue<Runnable> deltas = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean kicked = new AtomicBoolean();
    private final LoopWatches watches;
    private volatile boolean closed;
    private volatile boolean synced;

    // ---- confined to the loop thread ----
    private final ClusterSnapshot snapshot = new ClusterSnapshot();
    /** Pods ready to be decided, in arrival order. */
    private final LinkedHashMap<String, Pod> active = new LinkedHashMap<>();
    /** Pods whose binding is in flight (assumed in the snapshot); the latest object seen. */
    private final Map<String, Pod> binding = new HashMap<>();
    /** Pods that did not fit or whose binding failed, with their retry time. */
    private final Map<String, Waiting> waiting = new HashMap<>();
    /** Attempts per pod, for the backoff; forgotten when the pod is bound or gone. */
    private final Map<String, Integer> attempts = new HashMap<>();
    private ScheduledFuture<?> timer;
    private Instant timerAt;

    private record Waiting(Pod pod, Instant retryAt) {
    }

    private SchedulingLoop(KubernetesClient client, Scheduler scheduler, LoopConfig config, Clock clock,
                           ScheduledExecutorService loop, ExecutorService writes, SharedInformers shared,
                           boolean ownsShared) {
        this.watches = new LoopWatches(shared, ownsShared, this::post);
        this.client = client;
        this.scheduler = scheduler;
        this.config = config;
        this.clock = clock;
        this.loop = loop;
        this.writes = writes;
        this.api = new ApiWrites(client, clock);
        this.events = new EventQueue(writes, EventQueue.MAX_PENDING);
    }

    /**
     * Starts the informers (blocking until their initial lists are in) and the loop, with informers of its own.
     *
     * @param loop   a single-threaded executor owned by the caller: all scheduling decisions run on it
     * @param writes the executor for API writes (a few threads: bindings run concurrently); owned by the caller
     */
    public static SchedulingLoop start(KubernetesClient client, Scheduler scheduler, LoopConfig config, Clock clock,
                                       ScheduledExecutorService loop, ExecutorService writes) {
        SharedInformers own = new SharedInformers(client);
        return start(client, scheduler, config, clock, loop, writes, own, true);
    }

    /**
     * As {@link #start(KubernetesClient, Scheduler, LoopConfig, Clock, ScheduledExecutorService, ExecutorService)},
     * watching through the process's shared informers (pods, nodes, namespaces, services, ReplicationControllers,
     * ReplicaSets, StatefulSets), which the caller owns and closes after this loop: the controllers watch pods
     * through the same informer, so each pod event is decoded once for both (kube-scheduler and
     * kube-controller-manager share a factory within their process the same way).
     */
    public static SchedulingLoop start(KubernetesClient client, Scheduler scheduler, LoopConfig config, Clock clock,
                                       ScheduledExecutorService loop, ExecutorService writes,
                                       SharedInformers shared) {
        return start(client, scheduler, config, clock, loop, writes, shared, false);
    }

    private static SchedulingLoop start(KubernetesClient client, Scheduler scheduler, LoopConfig config, Clock clock,
                                        ScheduledExecutorService loop, ExecutorService writes,
                                        SharedInformers shared, boolean owned) {
        SchedulingLoop l = new SchedulingLoop(client, scheduler, config, clock, loop, writes, shared, owned);
        try {
            l.startInformers();
        } catch (RuntimeException e) {
            l.close();
            throw e;
        }
        return l;
    }

    private void startInformers() {
        List<Runnable> seeds = new ArrayList<>();
        seeds.add(watches.watch(Namespace.class,
                ns -> snapshot.putNamespace(ns.getMetadata().getName(), ns.getMetadata().getLabels()),
                ns -> snapshot.removeNamespace(ns.getMetadata().getName())));
        // The selectors that default a pod's spreading (upstream's DefaultSelector reads the same four listers).
        seeds.add(watches.watch(Service.class,
                s -> snapshot.workloads().putService(s), s -> snapshot.workloads().removeService(s)));
        seeds.add(watches.watch(ReplicationController.class,
                rc -> snapshot.workloads().putReplicationController(rc),
                rc -> snapshot.workloads().removeReplicationController(rc)));
        seeds.add(watches.watch(ReplicaSet.class,
                rs -> snapshot.workloads().putReplicaSet(rs), rs -> snapshot.workloads().removeReplicaSet(rs)));
        seeds.add(watches.watch(StatefulSet.class,
                ss -> snapshot.workloads().putStatefulSet(ss), ss -> snapshot.workloads().removeStatefulSet(ss)));
        seeds.add(watches.watch(Node.class, this::nodeChanged,
                node -> snapshot.removeNode(node.getMetadata().getName())));
        watches.watch(Pod.class, this::podChanged, this::podDeleted);
        watches.start();
        // Handlers receive the initial lists asynchronously (and a shared informer started earlier replays its cache
        // to a new handler), so the first cycle applies the synced caches of everything but pods before any pod is
        // decided: else early pods would be reported unschedulable with "no nodes available" until a node event
        // retried them. Applying an object twice is harmless (the snapshot keeps the latest).
        seeds.forEach(deltas::add);
        synced = true;
        kick();
    }

    private void post(Runnable delta) {
        deltas.add(delta);
        kick();
    }

    private void kick() {
        if (closed || !synced) {
            return;
        }
        if (kicked.compareAndSet(false, true)) {
            try {
                loop.execute(this::cycle);
            } catch (RejectedExecutionException e) {
                kicked.set(false);
            }
        }
    }

    // ---- the loop thread --------------------------------------------------------------------------------------

    private void cycle() {
        kicked.set(false);
        if (closed) {
            return;
        }
        try {
            Runnable delta;
            while ((delta = deltas.poll()) != null) {
                delta.run();
            }
            promoteDue();
            if (active.isEmpty()) {
                return;
            }
            List<Pod> batch = new ArrayList<>(Math.min(active.size(), config.maxBatch()));
            Iterator<Pod> it = active.values().iterator();
            while (it.hasNext() && batch.size() < config.maxBatch()) {
                batch.add(it.next());
                it.remove();
            }
            for (Decision decision : scheduler.scheduleBatch(snapshot, batch)) {
                apply(decision);
            }
            if (!active.isEmpty()) {
                kick();
            }
        } catch (RuntimeException e) {
            LOG.warn("scheduling cycle failed; retrying", e);
            kick();
        }
    }

    private void apply(Decision decision) {
        Pod pod = decision.pod();
        String key = key(pod);
        switch (decision.result()) {
            case ScheduleResult.Scheduled s -> {
                binding.put(key, pod);
                String node = s.nodeName();
                writes.execute(() -> {
                    ApiWrites.BindOutcome outcome = api.bind(pod, node);
                    post(() -> bindDone(key, outcome));
                    if (outcome == ApiWrites.BindOutcome.BOUND) {
                        // Behind the binding, not in its way (the binding is what the pod waits for).
                        events.submit(() -> api.event(pod, false, "Scheduled", "Binding", "Successfully assigned "
                                + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()
                                + " to " + node));
                    }
                });
            }
            case ScheduleResult.Unschedulable u -> {
                wait(key, pod);
                writes.execute(() -> {
                    api.markUnschedulable(pod, u.message());
                    events.submit(() -> api.event(pod, true, "FailedScheduling", "Scheduling", u.message()));
                });
            }
        }
    }

    private void bindDone(String key, ApiWrites.BindOutcome outcome) {
        Pod pod = binding.remove(key);
        if (pod == null) {
            return; // the informer already reported the pod bound or deleted
        }
        switch (outcome) {
            // Keep the assumption until the informer reports the binding.
            case BOUND -> {
                attempts.remove(key);
                binding.put(key, pod);
            }
            case OBSOLETE -> snapshot.removePod(key);
            case FAILED -> {
                snapshot.removePod(key);
                wait(key, pod);
            }
        }
    }

    private void wait(String key, Pod pod) {
        int n = attempts.merge(key, 1, Integer::sum);
        Instant at = clock.instant().plus(config.backoff(n));
        waiting.put(key, new Waiting(pod, at));
        arm(at);
    }

    private void promoteDue() {
        Instant now = clock.instant();
        Instant next = null;
        for (Iterator<Map.Entry<String, Waiting>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Waiting> e = it.next();
            if (!e.getValue().retryAt().isAfter(now)) {
                active.put(e.getKey(), e.getValue().pod());
                it.remove();
            } else if (next == null || e.getValue().retryAt().isBefore(next)) {
                next = e.getValue().retryAt();
            }
        }
        timerAt = null;
        if (next != null) {
            arm(next);
        }
    }

    private void arm(Instant at) {
        if (timerAt != null && !at.isBefore(timerAt)) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerAt = at;
        long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
        try {
            timer = loop.schedule(this::kick, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void nodeChanged(Node node) {
        snapshot.upsertNode(node);
        // A node added or changed may fit what did not fit (upstream moves unschedulable pods on NodeAdd/Update).
        if (!waiting.isEmpty()) {
            waiting.forEach((key, w) -> active.put(key, w.pod()));
            waiting.clear();
        }
    }

    private void podChanged(Pod pod) {
        String key = key(pod);
        if (scheduler.needsScheduling(pod)) {
            if (binding.containsKey(key)) {
                binding.put(key, pod); // keep the assumption; the binding's answer decides
                return;
            }
            Waiting w = waiting.get(key);
            if (w != null) {
                if (Objects.equals(w.pod().getSpec(), pod.getSpec())
                        && Objects.equals(w.pod().getMetadata().getLabels(), pod.getMetadata().getLabels())) {
                    waiting.put(key, new Waiting(pod, w.retryAt())); // e.g. our own condition update
                    return;
                }
                waiting.remove(key); // the pod changed: it may fit now
            }
            snapshot.removePod(key);
            active.put(key, pod);
            return;
        }
        forget(key);
        snapshot.upsertPod(pod);
    }

    private void podDeleted(Pod pod) {
        String key = key(pod);
        forget(key);
        snapshot.removePod(key);
    }

    private void forget(String key) {
        active.remove(key);
        waiting.remove(key);
        binding.remove(key);
        attempts.remove(key);
    }

    private static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    /**
     * Stops the loop's work and its own informers (or detaches from the shared ones); the executors belong to the
     * caller. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        watches.close();
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }
}
