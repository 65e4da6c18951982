package dev.skiff.control.controller.statefulset;

import dev.skiff.control.controller.Controller;
import dev.skiff.control.controller.EventRecorder;
import dev.skiff.control.controller.Keys;
import dev.skiff.control.controller.Reconciler;
import dev.skiff.control.scheduler.model.Selector;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The StatefulSet controller, as upstream's {@code pkg/controller/statefulset}: claims the set's pods and
 * ControllerRevisions, resolves the current and update revisions, plans the sync ({@link StatefulSetSync}), carries
 * it out, reports status and prunes history.
 *
 * <p>Unlike the ReplicaSet controller it keeps no expectations, as upstream: pod names are fixed, so a create from a
 * stale cache fails with AlreadyExists (a quiet 409 retry) instead of making a duplicate.
 *
 * <p>Thread-safe: its {@link Controller} never reconciles one StatefulSet on two threads.
 */
public final class StatefulSetController implements Reconciler, AutoCloseable {

    private final KubernetesClient client;
    private final Clock clock;
    private final SharedIndexInformer<StatefulSet> sets;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<ControllerRevision> revisions;
    private final StatefulPodControl podControl;
    private final RevisionHistory history;
    private final Controller controller;

    public StatefulSetController(KubernetesClient client, Clock clock, SharedIndexInformer<StatefulSet> sets,
                                 SharedIndexInformer<Pod> pods, SharedIndexInformer<ControllerRevision> revisions,
                                 SharedIndexInformer<PersistentVolumeClaim> claims, int workers,
                                 ScheduledExecutorService executor) {
        this.client = client;
        this.clock = clock;
        this.sets = sets;
        this.pods = pods;
        this.revisions = revisions;
        this.podControl = new StatefulPodControl(client, claims,
                new EventRecorder(client, clock, "statefulset-controller"));
        this.history = new RevisionHistory(client);
        this.controller = new Controller("statefulset", this, workers, executor);
        controller.watch(sets);
        controller.watchOwned(revisions, StatefulSets.KIND);
        pods.addEventHandler(new PodEvents());
    }

    public Controller controller() {
        return controller;
    }

    @Override
    public void reconcile(String key) {
        StatefulSet set = sets.getIndexer().getByKey(key);
        if (set == null) {
            return;
        }
        Selector selector = Selector.of(set.getSpec().getSelector());
        String namespace = set.getMetadata().getNamespace();
        List<Pod> owned = new ArrayList<>();
        for (Pod pod : pods.getIndexer().byIndex("namespace", namespace)) {
            Pod claimed = Ownership.claim(client, set, selector, pod, StatefulSets.isMemberOf(set, pod));
            if (claimed != null) {
                owned.add(claimed);
            }
        }
        List<ControllerRevision> ownedRevisions = new ArrayList<>();
        for (ControllerRevision revision : revisions.getIndexer().byIndex("namespace", namespace)) {
            ControllerRevision claimed = Ownership.claim(client, set, selector, revision, true);
            if (claimed != null) {
                ownedRevisions.add(claimed);
            }
        }
        int collisionCount = set.getStatus() == null || set.getStatus().getCollisionCount() == null
                ? 0 : set.getStatus().getCollisionCount();
        RevisionHistory.Resolved resolved = history.resolve(set, Revisions.sorted(ownedRevisions), collisionCount);
        String current = resolved.current().getMetadata().getName();
        String update = resolved.update().getMetadata().getName();

        SyncPlan plan = StatefulSetSync.plan(set, owned, current, update, resolved.collisionCount(), clock.instant());
        RuntimeException failure = null;
        try {
            if (set.getMetadata().getDeletionTimestamp() == null) {
                for (Pod pod : owned) {
                    int ordinal = StatefulSets.ordinal(pod);
                    podControl.reconcileRetention(set, pod, ordinal);
                    if (StatefulSets.isPending(pod) && !StatefulSets.isTerminating(pod)) {
                        podControl.createMissingClaims(set, pod, ordinal);
                    }
                }
            }
            for (SyncAction action : plan.actions()) {
                switch (action) {
                    case SyncAction.Create create -> podControl.create(set,
                            Revisions.template(create.revision().equals(update) ? resolved.update() : resolved.current()),
                            create.revision(), create.ordinal());
                    case SyncAction.Delete delete -> podControl.delete(set, delete.pod(), delete.reason());
                    case SyncAction.RestoreIdentity restore ->
                            podControl.restoreIdentity(set, restore.pod(), restore.ordinal());
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        StatefulSetStatus status = plan.status();
        updateStatus(set, status);
        if (failure != null) {
            throw failure;
        }
        int minReady = StatefulSets.minReadySeconds(set);
        // No event arrives when a ready pod becomes available: upstream re-checks after minReadySeconds.
        if (minReady > 0 && !Objects.equals(status.getAvailableReplicas(), StatefulSets.replicas(set))) {
            controller.enqueueAfter(key, Duration.ofSeconds(minReady));
        }
        Set<String> live = new HashSet<>(List.of(status.getCurrentRevision(), update));
        owned.forEach(p -> live.add(StatefulSets.revisionOf(p)));
        history.prune(set, resolved.revisions(), live);
    }

    private void updateStatus(StatefulSet set, StatefulSetStatus status) {
        if (Objects.equals(set.getStatus(), status)) {
            return;
        }
        var resource = client.apps().statefulSets().inNamespace(set.getMetadata().getNamespace());
        try {
            resource.resource(new StatefulSetBuilder(set).withStatus(status).build()).updateStatus();
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // A spec write (scale, set image) raced this sync: as upstream's status updater, retry once on a fresh
            // read; the newer spec gets its own sync from its update event.
            StatefulSet fresh = resource.withName(set.getMetadata().getName()).get();
            if (fresh != null) {
                resource.resource(new StatefulSetBuilder(fresh).withStatus(status).build()).updateStatus();
            }
        }
    }

    @Override
    public void close() {
        controller.close();
    }

    /** Maps pod events to StatefulSets: the controller's owner, or for orphans every set that could adopt them. */
    private final class PodEvents implements ResourceEventHandler<Pod> {

        @Override
        public void onAdd(Pod pod) {
            if (!controller.enqueueOwner(pod, StatefulSets.KIND) && Keys.controllerOf(pod) == null) {
                enqueueMatching(pod);
            }
        }

        @Override
        public void onUpdate(Pod before, Pod after) {
            if (Objects.equals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion())) {
                return;
            }
            OwnerReference oldRef = Keys.controllerOf(before);
            OwnerReference newRef = Keys.controllerOf(after);
            if (oldRef != null && (newRef == null || !Objects.equals(oldRef.getUid(), newRef.getUid()))) {
                controller.enqueueOwner(before, StatefulSets.KIND);
            }
            if (!controller.enqueueOwner(after, StatefulSets.KIND) && newRef == null) {
                enqueueMatching(after);
            }
        }

        @Override
        public void onDelete(Pod pod, boolean unknown) {
            controller.enqueueOwner(pod, StatefulSets.KIND);
        }

        private void enqueueMatching(Pod pod) {
            Map<String, String> labels = labels(pod);
            for (StatefulSet set : sets.getIndexer().byIndex("namespace", pod.getMetadata().getNamespace())) {
                if (StatefulSets.isMemberOf(set, pod) && Selector.of(set.getSpec().getSelector()).matches(labels)) {
                    controller.enqueue(Keys.of(set));
                }
            }
        }
    }

    static Map<String, String> labels(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }
}
