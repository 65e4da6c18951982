package dev.skiff.control.controller;

import dev.skiff.control.scheduler.model.Selector;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.IntPredicate;

/**
 * The ReplicaSet controller, as upstream's {@code pkg/controller/replicaset/replica_set.go}: keeps
 * {@code spec.replicas} active pods matching the selector, adopting orphans and releasing pods that no longer match,
 * creating from the template in slow-start batches and deleting the cheapest surplus first; reports status.
 *
 * <p>Thread-safe: its {@link Controller} never reconciles one ReplicaSet on two threads.
 */
public final class ReplicaSetController implements Reconciler, AutoCloseable {

    static final String KIND = "ReplicaSet";
    /** Upstream's {@code BurstReplicas}: at most this many creations or deletions per sync. */
    static final int BURST_REPLICAS = 500;

    private final KubernetesClient client;
    private final Clock clock;
    private final SharedIndexInformer<ReplicaSet> replicaSets;
    private final SharedIndexInformer<Pod> pods;
    private final Expectations expectations;
    private final EventRecorder events;
    private final Controller controller;
    private final java.util.concurrent.Executor calls;

    /** Creates and deletes of one batch run one after the other; events are written synchronously. */
    public ReplicaSetController(KubernetesClient client, Clock clock, SharedIndexInformer<ReplicaSet> replicaSets,
                                SharedIndexInformer<Pod> pods, int workers, ScheduledExecutorService executor) {
        this(client, clock, replicaSets, pods, workers, executor, Runnable::run);
    }

    /**
     * @param calls runs the pod creates and deletes of one batch concurrently (upstream issues each slow-start
     *              batch, and each batch of deletions, as parallel goroutines) and writes events in the background
     *              (as client-go's event broadcaster does); typically virtual threads, as the tasks block on the API
     */
    public ReplicaSetController(KubernetesClient client, Clock clock, SharedIndexInformer<ReplicaSet> replicaSets,
                                SharedIndexInformer<Pod> pods, int workers, ScheduledExecutorService executor,
                                java.util.concurrent.Executor calls) {
        this.client = client;
        this.clock = clock;
        this.replicaSets = replicaSets;
        this.pods = pods;
        this.calls = calls;
        this.expectations = new Expectations(clock);
        this.events = new EventRecorder(client, clock, "replicaset-controller", calls);
        this.controller = new Controller("replicaset", this, workers, executor);
        controller.watch(replicaSets, expectations::delete);
        pods.addEventHandler(new PodEvents());
    }

    public Controller controller() {
        return controller;
    }

    @Override
    public void reconcile(String key) {
        ReplicaSet rs = replicaSets.getIndexer().getByKey(key);
        if (rs == null) {
            expectations.delete(key);
            return;
        }
        boolean needsSync = expectations.satisfied(key);
        Selector selector = Selector.of(rs.getSpec().getSelector());
        List<Pod> candidates = new ArrayList<>();
        for (Pod pod : pods.getIndexer().byIndex("namespace", rs.getMetadata().getNamespace())) {
            if (Pods.isActive(pod)) {
                candidates.add(pod);
            }
        }
        List<Pod> owned = claimPods(rs, selector, candidates);

        RuntimeException failure = null;
        String failureReason = null;
        if (needsSync && rs.getMetadata().getDeletionTimestamp() == null) {
            try {
                manageReplicas(key, rs, owned, candidates);
            } catch (ManageException e) {
                failure = e;
                failureReason = e.reason;
            }
        }
        ReplicaSetStatus status = ReplicaSetStatusCalculator.calculate(rs, owned, failureReason,
                failure == null ? null : failure.getMessage(), clock.instant());
        ReplicaSet updated = updateStatus(rs, status);
        int minReady = rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
        int replicas = replicas(rs);
        // Upstream re-checks availability after minReadySeconds: no event arrives when a ready pod becomes available.
        if (failure == null && minReady > 0 && updated.getStatus().getReadyReplicas() != null
                && updated.getStatus().getReadyReplicas() == replicas
                && !Objects.equals(updated.getStatus().getAvailableReplicas(), replicas)) {
            controller.enqueueAfter(key, Duration.ofSeconds(minReady));
        }
        if (failure != null) {
            throw failure;
        }
    }

    static int replicas(ReplicaSet rs) {
        return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    }

    /**
     * Upstream's {@code ClaimPods}: keeps pods this ReplicaSet controls that still match, adopts matching orphans,
     * releases controlled pods that no longer match. A ReplicaSet being deleted neither adopts nor releases.
     */
    private List<Pod> claimPods(ReplicaSet rs, Selector selector, List<Pod> candidates) {
        boolean deleting = rs.getMetadata().getDeletionTimestamp() != null;
        List<Pod> claimed = new ArrayList<>();
        for (Pod pod : candidates) {
            OwnerReference ref = Keys.controllerOf(pod);
            boolean matches = selector.matches(labels(pod));
            if (ref != null) {
                if (!Objects.equals(ref.getUid(), rs.getMetadata().getUid())) {
                    continue;
                }
                if (matches || deleting) {
                    claimed.add(pod);
                } else {
                    release(rs, pod);
                }
            } else if (matches && !deleting && pod.getMetadata().getDeletionTimestamp() == null) {
                Pod adopted = adopt(rs, pod);
                if (adopted != null) {
                    claimed.add(adopted);
                }
            }
        }
        return claimed;
    }

    private Pod adopt(ReplicaSet rs, Pod pod) {
        try {
            return client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .edit(current -> {
                        if (Keys.controllerOf(current) != null) {
                            return current; // someone else won the race: upstream's adoption is a conditional patch
                        }
                        return new PodBuilder(current).editMetadata().addToOwnerReferences(ownerRef(rs))
                                .endMetadata().build();
                    });
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private void release(ReplicaSet rs, Pod pod) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .edit(current -> {
                        List<OwnerReference> refs = new ArrayList<>();
                        if (current.getMetadata().getOwnerReferences() != null) {
                            for (OwnerReference ref : current.getMetadata().getOwnerReferences()) {
                                if (!Objects.equals(ref.getUid(), rs.getMetadata().getUid())) {
                                    refs.add(ref);
                                }
                            }
                        }
                        return new PodBuilder(current).editMetadata().withOwnerReferences(refs).endMetadata().build();
                    });
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    static OwnerReference ownerRef(ReplicaSet rs) {
        return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind(KIND)
                .withName(rs.getMetadata().getName()).withUid(rs.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    private void manageReplicas(String key, ReplicaSet rs, List<Pod> owned, List<Pod> namespacePods) {
        int diff = owned.size() - replicas(rs);
        if (diff < 0) {
            int toCreate = Math.min(-diff, BURST_REPLICAS);
            expectations.expectCreations(key, toCreate);
            Pod template = podFromTemplate(rs);
            int created = SlowStart.run(toCreate, 1, i -> createPod(rs, template), calls);
            int skipped = toCreate - created;
            if (skipped > 0) {
                // Creations that never happened will never be observed: lower the expectations (upstream does too).
                for (int i = 0; i < skipped; i++) {
                    expectations.creationObserved(key);
                }
                if (namespaceTerminating(rs)) {
                    return; // as upstream: every create fails until the namespace is gone; nothing to retry
                }
                throw new ManageException("FailedCreate", lastCreateError);
            }
        } else if (diff > 0) {
            int toDelete = Math.min(diff, BURST_REPLICAS);
            List<Pod> victims = DeletionRanking.podsToDelete(owned, relatedPods(rs, namespacePods), toDelete);
            Set<String> uids = new HashSet<>();
            victims.forEach(p -> uids.add(p.getMetadata().getUid()));
            expectations.expectDeletions(key, uids);
            java.util.concurrent.atomic.AtomicReference<String> failure = new java.util.concurrent.atomic.AtomicReference<>();
            // All deletions at once, as upstream's parallel goroutines; wait for every one before reporting.
            List<java.util.concurrent.CompletableFuture<Void>> deletions = new ArrayList<>();
            for (Pod victim : victims) {
                deletions.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
                    try {
                        client.pods().inNamespace(victim.getMetadata().getNamespace())
                                .withName(victim.getMetadata().getName()).delete();
                        events.normal(rs, "SuccessfulDelete", "Deleted pod: " + victim.getMetadata().getName());
                    } catch (KubernetesClientException e) {
                        expectations.deletionObserved(key, victim.getMetadata().getUid());
                        if (e.getCode() != 404) {
                            failure.set(e.getMessage());
                            events.warning(rs, "FailedDelete", "Error deleting: " + e.getMessage());
                        }
                    }
                }, calls));
            }
            deletions.forEach(java.util.concurrent.CompletableFuture::join);
            String error = failure.get();
            if (error != null) {
                throw new ManageException("FailedDelete", error);
            }
        }
    }

    /** Pods owned by any controller of the same owner, as upstream's {@code getIndirectlyRelatedPods}, simplified to this RS's namespace pods matching its selector. */
    private static List<Pod> relatedPods(ReplicaSet rs, List<Pod> namespacePods) {
        Selector selector = Selector.of(rs.getSpec().getSelector());
        return namespacePods.stream().filter(p -> selector.matches(labels(p))).toList();
    }

    private volatile String lastCreateError;

    /** Whether the ReplicaSet's namespace is being deleted (asked only after a failed create). */
    private boolean namespaceTerminating(ReplicaSet rs) {
        var namespace = client.namespaces().withName(rs.getMetadata().getNamespace()).get();
        return namespace == null || namespace.getMetadata().getDeletionTimestamp() != null;
    }

    private boolean createPod(ReplicaSet rs, Pod template) {
        try {
            Pod created = client.pods().inNamespace(rs.getMetadata().getNamespace()).resource(template).create();
            // The server generated the name; upstream's event names the created pod.
            events.normal(rs, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
            return true;
        } catch (KubernetesClientException e) {
            lastCreateError = e.getMessage();
            if (!ApiErrors.namespaceTerminating(e)) {
                events.warning(rs, "FailedCreate", "Error creating: " + e.getMessage());
            }
            return false;
        }
    }

    /** Upstream's {@code GetPodFromTemplate}: labels, annotations and finalizers of the template, generateName "<rs>-". */
    static Pod podFromTemplate(ReplicaSet rs) {
        PodTemplateSpec template = rs.getSpec().getTemplate();
        Map<String, String> labels = template.getMetadata() == null || template.getMetadata().getLabels() == null
                ? Map.of() : template.getMetadata().getLabels();
        Map<String, String> annotations = template.getMetadata() == null
                || template.getMetadata().getAnnotations() == null ? Map.of() : template.getMetadata().getAnnotations();
        List<String> finalizers = template.getMetadata() == null || template.getMetadata().getFinalizers() == null
                ? List.of() : template.getMetadata().getFinalizers();
        return new PodBuilder()
                .withNewMetadata()
                .withGenerateName(rs.getMetadata().getName() + "-")
                .withNamespace(rs.getMetadata().getNamespace())
                .withLabels(new HashMap<>(labels))
                .withAnnotations(new HashMap<>(annotations))
                .withFinalizers(new ArrayList<>(finalizers))
                .withOwnerReferences(ownerRef(rs))
                .endMetadata()
                .withSpec(template.getSpec())
                .build();
    }

    private ReplicaSet updateStatus(ReplicaSet rs, ReplicaSetStatus status) {
        if (Objects.equals(rs.getStatus(), status)) {
            return rs;
        }
        ReplicaSet copy = new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder(rs).withStatus(status).build();
        try {
            return client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(copy)
                    .updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // The Deployment controller scaled the ReplicaSet meanwhile: as upstream's updateReplicaSetStatus,
            // retry once on a fresh read. observedGeneration stays the one reconciled: the newer spec gets its own
            // reconcile from the update event.
            ReplicaSet fresh = client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
                    .withName(rs.getMetadata().getName()).get();
            if (fresh == null) {
                return rs;
            }
            return client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
                    .resource(new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder(fresh).withStatus(status)
                            .build()).updateStatus();
        }
    }

    static Map<String, String> labels(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    @Override
    public void close() {
        controller.close();
    }

    /** A failed create or delete: surfaces as the ReplicaFailure condition and requeues the ReplicaSet. */
    static final class ManageException extends RuntimeException {
        final String reason;

        ManageException(String reason, String message) {
            super(message == null ? reason : message);
            this.reason = reason;
        }
    }

    /** Maps pod events to their ReplicaSets and settles expectations, as upstream's add/update/deletePod. */
    private final class PodEvents implements ResourceEventHandler<Pod> {

        @Override
        public void onAdd(Pod pod) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                onDelete(pod, false);
                return;
            }
            String owner = ownerKey(pod);
            if (owner != null) {
                expectations.creationObserved(owner);
                controller.enqueue(owner);
            } else if (Keys.controllerOf(pod) == null) {
                enqueueMatching(pod);
            }
        }

        @Override
        public void onUpdate(Pod before, Pod after) {
            if (Objects.equals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion())) {
                return; // a resync: nothing changed
            }
            if (after.getMetadata().getDeletionTimestamp() != null) {
                // A graceful deletion starts: upstream counts it as the deletion the controller waits for.
                onDelete(after, false);
                return;
            }
            String oldOwner = ownerKey(before);
            String newOwner = ownerKey(after);
            if (oldOwner != null && !oldOwner.equals(newOwner)) {
                controller.enqueue(oldOwner);
            }
            if (newOwner != null) {
                controller.enqueue(newOwner);
            } else if (Keys.controllerOf(after) == null
                    && (!Objects.equals(labels(before), labels(after)) || oldOwner != null)) {
                enqueueMatching(after);
            }
        }

        @Override
        public void onDelete(Pod pod, boolean unknown) {
            String owner = ownerKey(pod);
            if (owner != null) {
                expectations.deletionObserved(owner, pod.getMetadata().getUid());
                controller.enqueue(owner);
            }
        }

        private String ownerKey(Pod pod) {
            OwnerReference ref = Keys.controllerOf(pod);
            if (ref == null || !KIND.equals(ref.getKind())) {
                return null;
            }
            return Keys.of(pod.getMetadata().getNamespace(), ref.getName());
        }

        private void enqueueMatching(Pod pod) {
            for (ReplicaSet rs : replicaSets.getIndexer().byIndex("namespace", pod.getMetadata().getNamespace())) {
                if (Selector.of(rs.getSpec().getSelector()).matches(labels(pod))) {
                    controller.enqueue(Keys.of(rs));
                }
            }
        }
    }

    /** Upstream's {@code slowStartBatch}: batches of 1, 2, 4, ... calls, stopping after the first batch with a failure. */
    static final class SlowStart {
        private SlowStart() {
        }

        /** Runs {@code fn} up to {@code count} times, one call after the other; answers how many succeeded. */
        static int run(int count, int initialBatch, IntPredicate fn) {
            return run(count, initialBatch, fn, Runnable::run);
        }

        /**
         * Runs {@code fn} up to {@code count} times, the calls of one batch concurrently on {@code calls} (each
         * batch waits for the previous one); answers how many succeeded.
         */
        static int run(int count, int initialBatch, IntPredicate fn, java.util.concurrent.Executor calls) {
            int remaining = count;
            int successes = 0;
            int index = 0;
            for (int batch = Math.min(remaining, initialBatch); batch > 0; batch = Math.min(2 * batch, remaining)) {
                java.util.concurrent.atomic.AtomicInteger succeeded = new java.util.concurrent.atomic.AtomicInteger();
                List<java.util.concurrent.CompletableFuture<Void>> running = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    int n = index++;
                    running.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
                        if (fn.test(n)) {
                            succeeded.incrementAndGet();
                        }
                    }, calls));
                }
                running.forEach(java.util.concurrent.CompletableFuture::join);
                int ok = succeeded.get();
                successes += ok;
                if (ok < batch) {
                    return successes;
                }
                remaining -= batch;
            }
            return successes;
        }
    }
}
