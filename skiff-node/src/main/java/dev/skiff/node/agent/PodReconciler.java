package dev.skiff.node.agent;

import dev.skiff.node.agent.probe.Handlers;
import dev.skiff.node.agent.probe.PreStop;
import dev.skiff.node.agent.probe.ProbeManager;
import dev.skiff.node.agent.volume.VolumeManager;
import dev.skiff.node.ipam.Allocation;
import dev.skiff.node.ipam.Claim;
import dev.skiff.node.ipam.IpPool;
import dev.skiff.node.runtime.CreateResult;
import dev.skiff.node.runtime.DeleteResult;
import dev.skiff.node.runtime.InstanceEvent;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceListener;
import dev.skiff.node.runtime.InstanceRuntime;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.InstanceState;
import dev.skiff.node.runtime.InstanceStatus;
import dev.skiff.node.runtime.RuntimeUnavailableException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the runtime's instances match the pods bound to this node, level-triggered, one pod UID at a time (the
 * {@link KeyedQueue} guarantees that), like the kubelet's pod workers and status manager together:
 * <ul>
 *   <li>a live pod without an instance gets an address and an instance; the instance's status is written to the
 *       pod's status subresource whenever its version grows;</li>
 *   <li>a pod with a deletionTimestamp has its instance stopped within the pod's deletion grace period, then is
 *       deleted with grace 0 (and its UID as precondition), so it does not stay Terminating;</li>
 *   <li>a pod gone from the API has its instance removed and its address released;</li>
 *   <li>a pod already Succeeded or Failed in the API is never run again: it keeps its final status;</li>
 *   <li>runtime unavailability and provider failures ({@code ProviderFailed}) are retried with exponential backoff,
 *       the pod staying Pending meanwhile.</li>
 * </ul>
 * Thread-safe: informer callbacks and runtime notifications only record state and enqueue the UID.
 */
final class PodReconciler implements InstanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(PodReconciler.class);
    static final String PROVIDER_FAILED = "ProviderFailed";

    /** The latest pod seen for a UID; {@code gone} once the API no longer has it. */
    private record Tracked(Pod pod, boolean gone) {
    }

    private final KubernetesClient client;
    private final RawWrites writes;
    private final NodeConfig config;
    private final InstanceRuntime runtime;
    private final IpPool pool;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final PodEvents events;
    private final PodPreparation preparation;
    private final VolumeManager volumes;
    private final ProbeManager probes;
    private final PreStopGate preStop;
    private final VolumeSync volumeSync;
    private final ImageCacheHits imageCaches;
    /** Pods that cannot start until a ConfigMap or Secret appears or changes (retried when one does). */
    private final Set<String> blocked = ConcurrentHashMap.newKeySet();
    private final Map<String, Tracked> pods = new ConcurrentHashMap<>();
    /** The instance version and probe generation last written to each pod's status. */
    private record Written(long version, long probes) {
    }

    private final Map<String, Written> written = new ConcurrentHashMap<>();
    /** The statuses last written (the kubelet status manager's cache). */
    private final StatusCache statuses = new StatusCache();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final Set<String> retryPending = ConcurrentHashMap.newKeySet();
    /** The terminal status a deletion ended with, until the pod is written with it and deleted for good. */
    private final Map<String, InstanceStatus> finalStatus = new ConcurrentHashMap<>();
    private final EvictedPods evicted;
    /**
     * Pods gone from the API whose instance is being removed: their last copy is kept until the runtime's
     * {@code Removed} arrives, because the {@code Occurred} notifications before it (Killing) still need the pod
     * to be recorded as Events, and the runtime delivers those in order but later than the delete completes.
     */
    private final Set<String> awaitingRemoved = ConcurrentHashMap.newKeySet();
    private volatile KeyedQueue queue;

    PodReconciler(KubernetesClient client, RawWrites writes, NodeConfig config, InstanceRuntime runtime, IpPool pool, Clock clock,
                  ScheduledExecutorService scheduler, PodEvents events, PodPreparation preparation,
                  VolumeManager volumes, Handlers handlers, ImageCacheHits imageCaches) {
        this.preparation = preparation;
        this.imageCaches = imageCaches;
        this.volumes = volumes;
        this.probes = new ProbeManager(runtime, handlers, clock, scheduler, probeSink());
        this.preStop = new PreStopGate(new PreStop(handlers, clock), probeSink(), this::enqueue);
        this.volumeSync = new VolumeSync(volumes, preparation, pool, events, uid -> {
            Tracked t = pods.get(uid);
            return t == null || t.gone() ? null : t.pod();
        });
        this.client = client;
        this.writes = writes;
        this.config = config;
        this.runtime = runtime;
        this.pool = pool;
        this.clock = clock;
        this.scheduler = scheduler;
        this.events = events;
        this.evicted = new EvictedPods(runtime, writes, statuses, events, config.internalIp(), clock);
    }

    // ---- inputs -------------------------------------------------------------------------------------------

    void podSeen(Pod pod) {
        String uid = pod.getMetadata().getUid();
        pods.put(uid, new Tracked(pod, false));
        enqueue(uid);
    }

    void podGone(Pod pod) {
        String uid = pod.getMetadata().getUid();
        pods.put(uid, new Tracked(pod, true));
        enqueue(uid);
    }

    @Override
    public void onEvent(InstanceEvent event) {
        String uid = event.id().value();
        if (event instanceof InstanceEvent.Occurred o) {
            Tracked t = pods.get(uid);
            if (t != null) {
                boolean init = t.pod().getSpec().getInitContainers() != null && t.pod().getSpec().getInitContainers()
                        .stream().anyMatch(c -> c.getName().equals(o.container()));
                events.record(t.pod(), o.container(), init, o.warning(), o.reason(), o.message());
            }
            return;
        }
        if (event instanceof InstanceEvent.Removed) {
            awaitingRemoved.remove(uid);
            pods.computeIfPresent(uid, (k, t) -> t.gone() ? null : t);
        }
        enqueue(uid);
    }

    /**
     * Evicts a pod (the kubelet's {@code evictPod}): records the Warning {@code Evicted} Event, then the reconciler
     * kills its instance with no grace period and writes it Failed with reason {@code Evicted} and the message. A
     * pod already being evicted is left alone, so the eviction manager may call this on every pass.
     */
    void evict(Pod pod, String message, boolean disruption) {
        if (evicted.start(pod, message, disruption)) {
            enqueue(pod.getMetadata().getUid());
        }
    }

    /**
     * Rebuilds the address pool from the pods that already hold addresses (a restarted agent), before any new pod
     * is given one, and starts reconciling everything known, including instances no pod owns any more.
     */
    void start(KeyedQueue workQueue, List<Pod> synced) {
        // The informer's store, not the handler's callbacks: those are delivered asynchronously and may still be
        // on their way when the first sync completes.
        for (Pod pod : synced) {
            pods.putIfAbsent(pod.getMetadata().getUid(), new Tracked(pod, false));
            PodStatus status = pod.getStatus();
            if (status == null || status.getPodIP() == null || terminalPhase(pod)) {
                continue;
            }
            try {
                Claim claim = pool.claim(pod.getMetadata().getUid(), InetAddress.getByName(status.getPodIP()));
                if (!(claim instanceof Claim.Claimed)) {
                    LOG.warn("node {}: pod {}/{} keeps address {} it cannot claim: {}", config.nodeName(),
                            pod.getMetadata().getNamespace(), pod.getMetadata().getName(), status.getPodIP(), claim);
                }
            } catch (UnknownHostException e) {
                LOG.warn("node {}: unreadable podIP {}", config.nodeName(), status.getPodIP());
            }
        }
        this.queue = workQueue;
        pods.keySet().forEach(workQueue::add);
        runtime.list().forEach(i -> workQueue.add(i.id().value()));
    }

    /**
     * A ConfigMap or Secret of {@code namespace} changed: pods blocked on a missing reference are retried at once,
     * and running pods that mount it have their volumes rewritten (the kubelet's configmap/secret volume resync).
     */
    void objectChanged(String namespace, boolean secret, String name) {
        for (String uid : List.copyOf(blocked)) {
            Tracked t = pods.get(uid);
            if (t != null && namespace.equals(t.pod().getMetadata().getNamespace())) {
                retryPending.remove(uid);
                enqueue(uid);
            }
        }
        volumeSync.objectChanged(namespace, secret, name);
    }

    /** Rewrites the atomic volumes of every running pod (ServiceAccount tokens due for renewal, downward API). */
    void resyncAllVolumes() {
        volumeSync.resyncAll();
    }

    private void enqueue(String uid) {
        KeyedQueue q = queue;
        if (q != null) {
            q.add(uid);
        }
    }

    // ---- reconciling ----------------------------------------------------------------------------------------

    void reconcile(String uid) {
        Tracked tracked = pods.get(uid);
        InstanceId id = InstanceId.of(uid);
        Optional<InstanceStatus> instance = runtime.status(id);
        if (tracked == null || tracked.gone()) {
            removeOrphan(uid, id, tracked, instance);
            return;
        }
        Pod pod = tracked.pod();
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            terminate(uid, id, pod, instance);
            return;
        }
        if (evicted.evicting(uid)) {
            probes.remove(uid);
            String retry = evicted.reconcile(uid, id, pod, instance, this::enqueue);
            if (retry != null) {
                retryLater(uid, retry);
            }
            return;
        }
        if (instance.isEmpty()) {
            if (!terminalPhase(pod) && !retryPending.contains(uid)) {
                createInstance(uid, pod);
            }
            return;
        }
        InstanceStatus status = instance.get();
        if (status.state() instanceof InstanceState.Failed f && PROVIDER_FAILED.equals(f.reason())) {
            // The provider could not run it: not the workload's failure, so the pod is not failed (a terminal
            // phase could never be left); the instance is dropped and created again after a backoff.
            writeStatus(uid, pod, status, new String[] {PROVIDER_FAILED, f.message()});
            runtime.delete(id, Duration.ZERO);
            retryLater(uid, "provider failed: " + f.message());
            return;
        }
        if (status.state() instanceof InstanceState.Running) {
            failures.remove(uid);
        }
        probes.sync(pod, status);
        writeStatus(uid, pod, status, null);
    }

    private void removeOrphan(String uid, InstanceId id, Tracked tracked, Optional<InstanceStatus> instance) {
        if (instance.isPresent()) {
            Duration grace = tracked == null ? Duration.ZERO : deletionGrace(tracked.pod());
            awaitingRemoved.add(uid);
            runtime.delete(id, grace).whenComplete((r, e) -> enqueue(uid));
            return;
        }
        pool.release(uid);
        volumes.cleanup(uid);
        probes.remove(uid);
        preStop.forget(uid);
        blocked.remove(uid);
        if (!awaitingRemoved.contains(uid)) {
            pods.remove(uid);
        }
        written.remove(uid);
        statuses.forget(uid);
        finalStatus.remove(uid);
        failures.remove(uid);
        evicted.forget(uid);
    }

    private void terminate(String uid, InstanceId id, Pod pod, Optional<InstanceStatus> instance) {
        probes.remove(uid);
        if (instance.isPresent()) {
            // The runtime reports Killing per container, as the kubelet records it.
            writeStatus(uid, pod, instance.get(), null);
            var decision = preStop.decide(uid, pod, instance.get(), deletionGrace(pod));
            if (!(decision instanceof PreStopGate.Decision.Delete go)) {
                return; // preStop hooks still running
            }
            Duration grace = go.grace();
            // Repeating the delete joins the one under way (a shorter grace period shortens it).
            runtime.delete(id, grace).whenComplete((r, e) -> {
                if (r instanceof DeleteResult.Deleted d) {
                    finalStatus.put(uid, d.last());
                }
                enqueue(uid);
            });
            return;
        }
        // As the kubelet does since 1.27, the pod is left with its terminal phase before it is deleted, so
        // whoever watches it sees how its containers ended.
        InstanceStatus last = finalStatus.remove(uid);
        if (last != null) {
            writeStatus(uid, pod, last, null);
        }
        pool.release(uid);
        volumes.cleanup(uid);
        preStop.forget(uid);
        blocked.remove(uid);
        finishDeletion(pod);
    }

    private void finishDeletion(Pod pod) {
        try {
            PodDeletion.finish(client, pod);
        } catch (KubernetesClientException e) {
            retryLater(pod.getMetadata().getUid(), "finishing deletion: " + e.getMessage());
        }
    }

    private void createInstance(String uid, Pod pod) {
        InetAddress ip;
        Allocation allocation = pool.allocate(uid);
        switch (allocation) {
            case Allocation.Allocated a -> ip = a.address();
            case Allocation.Exhausted x -> {
                retryLater(uid, "no free address in " + x.cidr());
                return;
            }
        }
        InstanceSpec spec;
        try {
            spec = preparation.prepareReporting(pod, ip, events, (container, message) ->
                    startBlocked(uid, pod, container, message));
        } catch (IllegalArgumentException e) {
            LOG.warn("node {}: pod {}/{} cannot run: {}", config.nodeName(), pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), e.getMessage());
            events.record(pod, null, false, true, "FailedCreatePodSandBox", e.getMessage());
            return;
        }
        if (spec == null) {
            return;
        }
        blocked.remove(uid);
        // ECI matches the image cache when it creates the instance, after the pod's configuration resolved.
        spec = imageCaches.apply(pod, spec, events);
        try {
            CreateResult result = runtime.create(spec);
            switch (result) {
                case CreateResult.Created c -> {
                    // A new instance counts its versions from 1 again (after a provider failure, say).
                    written.remove(uid);
                    writeStatus(uid, pod, c.status(), null);
                }
                case CreateResult.Existing e -> writeStatus(uid, pod, e.status(), null);
                case CreateResult.SpecConflict c -> LOG.warn("node {}: instance {} conflicts: {}",
                        config.nodeName(), uid, c.message());
            }
        } catch (RuntimeUnavailableException e) {
            retryLater(uid, "runtime unavailable: " + e.getMessage());
        }
    }

    /**
     * The pod cannot start yet: its status says why (as the kubelet's does) and it is retried with backoff, or at
     * once when a ConfigMap or Secret of its namespace changes.
     */
    private void startBlocked(String uid, Pod pod, String container, String message) {
        blocked.add(uid);
        Optional<PodStatus> next = statuses.next(pod, StartBlocked.status(pod, container, message, clock.instant()),
                config.internalIp(), clock.instant(), null);
        if (next.isPresent()) {
            int code = writes.patchPodStatus(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    Serialization.asJson(Map.of("status", next.get())));
            if (code >= 200 && code < 300) {
                statuses.written(uid, next.get());
            }
        }
        retryLater(uid, container == null ? message : "container " + container + ": " + message);
    }

    private void writeStatus(String uid, Pod pod, InstanceStatus instance, String[] pending) {
        if (evicted.settled(uid)) {
            return; // an evicted pod keeps the status that says so
        }
        long version = pending == null ? instance.version() : -instance.version();
        long generation = probes.generation(uid);
        Written last = written.get(uid);
        if (last != null && last.probes() == generation
                && (pending == null ? last.version() >= version : last.version() == version)) {
            return;
        }
        Optional<PodStatus> next = statuses.next(pod, probes.overlay(instance), config.internalIp(), clock.instant(),
                pending);
        if (next.isEmpty()) {
            written.put(uid, new Written(version, generation)); // the API already says exactly this
            return;
        }
        PodStatus status = next.get();
        // The answer (the whole pod) is not read: the informer delivers the pod as written.
        int code = writes.patchPodStatus(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                Serialization.asJson(Map.of("status", status)));
        if (code >= 200 && code < 300) {
            written.put(uid, new Written(version, generation));
            statuses.written(uid, status);
        } else if (code != 404) {
            retryLater(uid, "writing status: HTTP " + code);
        }
    }

    private ProbeManager.Sink probeSink() {
        return new ProbeManager.Sink() {
            @Override
            public void changed(String uid) {
                enqueue(uid);
            }

            @Override
            public void event(Pod pod, String container, boolean warning, String reason, String message) {
                events.record(pod, container, false, warning, reason, message);
            }
        };
    }

    /** Stops probing. */
    void close() {
        probes.close();
    }

    private void retryLater(String uid, String why) {
        if (!retryPending.add(uid)) {
            return;
        }
        int attempt = failures.merge(uid, 1, Integer::sum);
        long millis = config.retryInitial().toMillis() << Math.min(attempt - 1, 20);
        long delay = Math.min(millis, config.retryMax().toMillis());
        LOG.info("node {}: pod {} retried in {} ms (attempt {}): {}", config.nodeName(), uid, delay, attempt, why);
        scheduler.schedule(() -> {
            retryPending.remove(uid);
            enqueue(uid);
        }, delay, TimeUnit.MILLISECONDS);
    }

    private static Duration deletionGrace(Pod pod) {
        Long seconds = pod.getMetadata().getDeletionGracePeriodSeconds();
        if (seconds == null) {
            seconds = pod.getSpec().getTerminationGracePeriodSeconds();
        }
        return seconds == null ? null : Duration.ofSeconds(Math.max(0, seconds));
    }

    private static boolean terminalPhase(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }
}
