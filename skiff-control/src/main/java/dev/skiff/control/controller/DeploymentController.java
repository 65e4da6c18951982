package dev.skiff.control.controller;

import static dev.skiff.control.controller.DeploymentReplicaSets.annotationOf;
import static dev.skiff.control.controller.DeploymentReplicaSets.byCreation;
import static dev.skiff.control.controller.DeploymentReplicaSets.equalIgnoreHash;
import static dev.skiff.control.controller.DeploymentReplicaSets.findNew;
import static dev.skiff.control.controller.DeploymentReplicaSets.revision;

import dev.skiff.control.scheduler.model.Selector;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The Deployment controller, as upstream's {@code pkg/controller/deployment}: owns ReplicaSets named
 * {@code <deployment>-<pod-template-hash>}, rolls templates out with RollingUpdate (maxSurge/maxUnavailable) or
 * Recreate, keeps the revision annotations {@code kubectl rollout history/undo} read, prunes history beyond
 * {@code revisionHistoryLimit}, honours {@code paused}, and reports status and the Available/Progressing conditions
 * {@code kubectl rollout status} waits on.
 *
 * <p>Thread-safe: its {@link Controller} never reconciles one Deployment on two threads.
 */
public final class DeploymentController implements Reconciler, AutoCloseable {

    static final String KIND = "Deployment";
    public static final String REVISION = "deployment.kubernetes.io/revision";
    public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
    /** Annotations a ReplicaSet does not inherit from its Deployment (upstream's {@code skipCopyAnnotation}). */
    private static final Set<String> NOT_COPIED = Set.of("kubectl.kubernetes.io/last-applied-configuration",
            REVISION, "deployment.kubernetes.io/revision-history", DESIRED_REPLICAS, MAX_REPLICAS,
            "deprecated.deployment.rollback.to");

    private final KubernetesClient client;
    private final Clock clock;
    private final SharedIndexInformer<Deployment> deployments;
    private final SharedIndexInformer<ReplicaSet> replicaSets;
    private final SharedIndexInformer<Pod> pods;
    private final EventRecorder events;
    private final Controller controller;

    public DeploymentController(KubernetesClient client, Clock clock, SharedIndexInformer<Deployment> deployments,
                                SharedIndexInformer<ReplicaSet> replicaSets, SharedIndexInformer<Pod> pods,
                                int workers, ScheduledExecutorService executor) {
        this.client = client;
        this.clock = clock;
        this.deployments = deployments;
        this.replicaSets = replicaSets;
        this.pods = pods;
        this.events = new EventRecorder(client, clock, "deployment-controller");
        this.controller = new Controller("deployment", this, workers, executor);
        controller.watch(deployments);
        DeploymentEvents.wakeOnReplicaSetsAndPods(controller, deployments, replicaSets, pods);
    }

    public Controller controller() {
        return controller;
    }

    @Override
    public void reconcile(String key) {
        Deployment d = deployments.getIndexer().getByKey(key);
        if (d == null) {
            return;
        }
        d = new DeploymentBuilder(d).build(); // the cache's object is shared: work on a copy
        Instant now = clock.instant();
        Selector selector = Selector.of(d.getSpec().getSelector());
        if (selector.isEmpty()) {
            events.warning(d, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
            if (!Objects.equals(d.getStatus() == null ? null : d.getStatus().getObservedGeneration(),
                    d.getMetadata().getGeneration())) {
                DeploymentStatus status = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
                status.setObservedGeneration(d.getMetadata().getGeneration());
                writeStatus(d, status);
            }
            return;
        }
        List<ReplicaSet> owned = claimReplicaSets(d, selector);
        if (d.getMetadata().getDeletionTimestamp() != null) {
            syncStatusOnly(d, owned, now);
            return;
        }
        checkPausedConditions(d, now);
        if (Boolean.TRUE.equals(d.getSpec().getPaused()) || isScalingEvent(d, owned)) {
            sync(d, owned, now);
            return;
        }
        if (RolloutMath.isRollingUpdate(d)) {
            rolloutRolling(d, owned, now);
        } else {
            rolloutRecreate(d, owned, now);
        }
    }

    // ---- claiming --------------------------------------------------------------------------------------------

    private List<ReplicaSet> claimReplicaSets(Deployment d, Selector selector) {
        boolean deleting = d.getMetadata().getDeletionTimestamp() != null;
        List<ReplicaSet> claimed = new ArrayList<>();
        for (ReplicaSet rs : replicaSets.getIndexer().byIndex("namespace", d.getMetadata().getNamespace())) {
            OwnerReference ref = Keys.controllerOf(rs);
            boolean matches = selector.matches(ReplicaSetController.labels(rs));
            if (ref != null) {
                if (!Objects.equals(ref.getUid(), d.getMetadata().getUid())) {
                    continue;
                }
                if (matches || deleting) {
                    claimed.add(rs);
                } else {
                    editReplicaSet(rs, b -> b.editMetadata().withOwnerReferences(rs.getMetadata().getOwnerReferences()
                            .stream().filter(r -> !Objects.equals(r.getUid(), d.getMetadata().getUid())).toList())
                            .endMetadata());
                }
            } else if (matches && !deleting && rs.getMetadata().getDeletionTimestamp() == null) {
                ReplicaSet adopted = editReplicaSet(rs, b -> b.editMetadata().addToOwnerReferences(ownerRef(d))
                        .endMetadata());
                if (adopted != null) {
                    claimed.add(adopted);
                }
            }
        }
        return claimed;
    }

    private ReplicaSet editReplicaSet(ReplicaSet rs, java.util.function.UnaryOperator<ReplicaSetBuilder> change) {
        try {
            return client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
                    .resource(change.apply(new ReplicaSetBuilder(rs)).build()).update();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    static OwnerReference ownerRef(Deployment d) {
        return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind(KIND)
                .withName(d.getMetadata().getName()).withUid(d.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    // ---- new and old ReplicaSets ---------------------------------------------------------------------------------

    private record Sets(ReplicaSet newRS, List<ReplicaSet> old, List<ReplicaSet> all) {
    }

    /** Upstream's {@code getAllReplicaSetsAndSyncRevision}: finds (or creates) the new ReplicaSet and its revision. */
    private Sets sets(Deployment d, List<ReplicaSet> owned, boolean create, Instant now) {
        ReplicaSet existing = findNew(d, owned);
        List<ReplicaSet> old = new ArrayList<>(owned.stream().filter(rs -> rs != existing).toList());
        long maxOld = old.stream().mapToLong(DeploymentReplicaSets::revision).max().orElse(0);
        String newRevision = Long.toString(maxOld + 1);
        ReplicaSet newRS = existing;
        if (existing != null) {
            Map<String, String> annotations = new HashMap<>(existing.getMetadata().getAnnotations() == null
                    ? Map.of() : existing.getMetadata().getAnnotations());
            boolean changed = false;
            if (revision(existing) < maxOld + 1) {
                // A rollback (or a template edited back) makes an old ReplicaSet new again: it gets the next revision.
                annotations.put(REVISION, newRevision);
                changed = true;
            }
            Integer minReady = d.getSpec().getMinReadySeconds();
            boolean minReadyChanged = !Objects.equals(existing.getSpec().getMinReadySeconds(), minReady);
            if (changed || minReadyChanged) {
                newRS = client.apps().replicaSets().inNamespace(existing.getMetadata().getNamespace())
                        .resource(new ReplicaSetBuilder(existing).editMetadata().withAnnotations(annotations)
                                .endMetadata().editSpec().withMinReadySeconds(minReady).endSpec().build())
                        .update();
            }
            setDeploymentRevision(d, annotationOf(newRS, REVISION));
            if (d.getSpec().getProgressDeadlineSeconds() != null
                    && DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING) == null) {
                DeploymentStatus status = DeploymentConditions.copyOf(d);
                DeploymentConditions.set(status, DeploymentConditions.condition(DeploymentConditions.PROGRESSING,
                        "True", "FoundNewReplicaSet",
                        "Found new replica set \"" + newRS.getMetadata().getName() + "\"", now));
                writeStatus(d, status);
            }
        } else if (create) {
            newRS = createNewReplicaSet(d, owned, newRevision, now);
        }
        List<ReplicaSet> all = new ArrayList<>(old);
        if (newRS != null) {
            all.add(newRS);
        }
        return new Sets(newRS, old, all);
    }

    private ReplicaSet createNewReplicaSet(Deployment d, List<ReplicaSet> owned, String revision, Instant now) {
        Integer collisionCount = d.getStatus() == null ? null : d.getStatus().getCollisionCount();
        String hash = PodTemplateHash.of(d.getSpec().getTemplate(), collisionCount);
        PodTemplateSpec template = new PodTemplateSpecBuilder(d.getSpec().getTemplate()).editOrNewMetadata()
                .addToLabels(PodTemplateHash.LABEL, hash).endMetadata().build();
        Map<String, String> labels = new HashMap<>(template.getMetadata().getLabels());
        LabelSelector base = d.getSpec().getSelector();
        LabelSelector selector = new LabelSelectorBuilder(base).addToMatchLabels(PodTemplateHash.LABEL, hash).build();
        Map<String, String> annotations = new HashMap<>();
        if (d.getMetadata().getAnnotations() != null) {
            d.getMetadata().getAnnotations().forEach((k, v) -> {
                if (!NOT_COPIED.contains(k)) {
                    annotations.put(k, v);
                }
            });
        }
        annotations.put(REVISION, revision);
        int replicas = RolloutMath.replicas(d);
        annotations.put(DESIRED_REPLICAS, Integer.toString(replicas));
        annotations.put(MAX_REPLICAS, Integer.toString(replicas + RolloutMath.fenceposts(d).maxSurge()));
        String name = d.getMetadata().getName() + "-" + hash;
        ReplicaSet candidate = new ReplicaSetBuilder()
                .withNewMetadata().withName(name).withNamespace(d.getMetadata().getNamespace())
                .withLabels(labels).withAnnotations(annotations).withOwnerReferences(ownerRef(d)).endMetadata()
                .withNewSpec().withReplicas(0).withMinReadySeconds(d.getSpec().getMinReadySeconds())
                .withSelector(selector).withTemplate(template).endSpec()
                .build();
        int newReplicas = RolloutMath.newReplicaSetReplicas(d, owned, candidate);
        candidate.getSpec().setReplicas(newReplicas);
        ReplicaSet created;
        try {
            created = client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace()).resource(candidate)
                    .create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                DeploymentStatus status = DeploymentConditions.copyOf(d);
                DeploymentConditions.set(status, DeploymentConditions.condition(DeploymentConditions.PROGRESSING,
                        "False", "ReplicaSetCreateError", "Failed to create new replica set \"" + name + "\": "
                                + e.getMessage(), now));
                writeStatus(d, status);
                events.warning(d, "FailedCreate", "Failed to create new replica set \"" + name + "\": "
                        + e.getMessage());
                throw e;
            }
            // Upstream: an existing RS of that name is ours if we control it and its template matches; otherwise
            // it is a hash collision and collisionCount moves the next name on.
            ReplicaSet existing = client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace())
                    .withName(name).get();
            OwnerReference ref = existing == null ? null : Keys.controllerOf(existing);
            if (existing != null && ref != null && Objects.equals(ref.getUid(), d.getMetadata().getUid())
                    && equalIgnoreHash(existing.getSpec().getTemplate(), d.getSpec().getTemplate())) {
                return existing;
            }
            DeploymentStatus status = DeploymentConditions.copyOf(d);
            status.setCollisionCount(collisionCount == null ? 1 : collisionCount + 1);
            writeStatus(d, status);
            throw new IllegalStateException("hash collision for replica set " + name + ", collisionCount raised");
        }
        if (newReplicas > 0) {
            events.normal(d, "ScalingReplicaSet", "Scaled up replica set " + name + " from 0 to " + newReplicas);
        }
        setDeploymentRevision(d, revision);
        if (d.getSpec().getProgressDeadlineSeconds() != null) {
            DeploymentStatus status = DeploymentConditions.copyOf(d);
            DeploymentConditions.set(status, DeploymentConditions.condition(DeploymentConditions.PROGRESSING,
                    "True", "NewReplicaSetCreated", "Created new replica set \"" + name + "\"", now));
            writeStatus(d, status);
        }
        return created;
    }

    /** Copies the new ReplicaSet's revision onto the deployment's annotations, as upstream's SetDeploymentRevision. */
    private void setDeploymentRevision(Deployment d, String revision) {
        if (revision == null) {
            return;
        }
        String current = d.getMetadata().getAnnotations() == null ? null
                : d.getMetadata().getAnnotations().get(REVISION);
        if (revision.equals(current)) {
            return;
        }
        try {
            Deployment patched = client.apps().deployments().inNamespace(d.getMetadata().getNamespace())
                    .withName(d.getMetadata().getName())
                    .edit(x -> new DeploymentBuilder(x).editMetadata().addToAnnotations(REVISION, revision)
                            .endMetadata().build());
            d.getMetadata().setResourceVersion(patched.getMetadata().getResourceVersion());
            d.getMetadata().setAnnotations(patched.getMetadata().getAnnotations());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    // ---- strategies --------------------------------------------------------------------------------------------

    /** Upstream's {@code rolloutRolling}: scale the new ReplicaSet up within the surge, the old ones down within availability. */
    private void rolloutRolling(Deployment d, List<ReplicaSet> owned, Instant now) {
        Sets s = sets(d, owned, true, now);
        if (reconcileNewReplicaSet(d, s)) {
            syncRolloutStatus(d, sets(d, refreshed(d, owned), false, now), now);
            return;
        }
        if (reconcileOldReplicaSets(d, s)) {
            syncRolloutStatus(d, s, now);
            return;
        }
        DeploymentStatus next = DeploymentConditions.calculate(d, s.all(), s.newRS(), now);
        if (DeploymentConditions.complete(d, next)) {
            cleanup(d, s.old());
        }
        syncRolloutStatus(d, s, now);
    }

    private List<ReplicaSet> refreshed(Deployment d, List<ReplicaSet> owned) {
        return claimReplicaSets(d, Selector.of(d.getSpec().getSelector()));
    }

    private boolean reconcileNewReplicaSet(Deployment d, Sets s) {
        ReplicaSet newRS = s.newRS();
        int replicas = RolloutMath.replicas(d);
        int current = RolloutMath.specReplicas(newRS);
        if (current == replicas) {
            return false;
        }
        if (current > replicas) {
            return scale(d, newRS, replicas);
        }
        return scale(d, newRS, RolloutMath.newReplicaSetReplicas(d, s.all(), newRS));
    }

    private boolean reconcileOldReplicaSets(Deployment d, Sets s) {
        List<ReplicaSet> oldActive = new ArrayList<>(s.old().stream()
                .filter(rs -> RolloutMath.specReplicas(rs) > 0).sorted(byCreation()).toList());
        if (RolloutMath.sumSpec(oldActive) == 0) {
            return false;
        }
        int allPods = RolloutMath.sumSpec(s.all());
        int minAvailable = RolloutMath.replicas(d) - RolloutMath.maxUnavailable(d);
        int newUnavailable = RolloutMath.specReplicas(s.newRS()) - RolloutMath.available(s.newRS());
        int maxScaledDown = allPods - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) {
            return false;
        }
        // First the old replicas that are not available anyway (upstream's cleanupUnhealthyReplicas), then
        // available ones as far as minAvailable allows (scaleDownOldReplicaSetsForRollingUpdate). Both phases are
        // planned first so each ReplicaSet is written once.
        Map<String, Integer> target = new HashMap<>();
        int cleaned = 0;
        for (ReplicaSet rs : oldActive) {
            if (cleaned >= maxScaledDown) {
                break;
            }
            int unhealthy = RolloutMath.specReplicas(rs) - RolloutMath.available(rs);
            if (unhealthy <= 0) {
                continue;
            }
            int down = Math.min(maxScaledDown - cleaned, unhealthy);
            target.put(rs.getMetadata().getName(), RolloutMath.specReplicas(rs) - down);
            cleaned += down;
        }
        int budget = RolloutMath.sumAvailable(s.all()) - minAvailable;
        int done = 0;
        for (ReplicaSet rs : oldActive) {
            if (done >= budget) {
                break;
            }
            int size = target.getOrDefault(rs.getMetadata().getName(), RolloutMath.specReplicas(rs));
            if (size == 0) {
                continue;
            }
            int down = Math.min(size, budget - done);
            target.put(rs.getMetadata().getName(), size - down);
            done += down;
        }
        boolean scaled = false;
        for (ReplicaSet rs : oldActive) {
            Integer size = target.get(rs.getMetadata().getName());
            if (size != null) {
                scaled |= scale(d, rs, size);
            }
        }
        return scaled;
    }

    /** Upstream's {@code rolloutRecreate}: all old pods gone before the new ReplicaSet scales up. */
    private void rolloutRecreate(Deployment d, List<ReplicaSet> owned, Instant now) {
        Sets s = sets(d, owned, false, now);
        boolean scaledDown = false;
        for (ReplicaSet rs : s.old()) {
            if (RolloutMath.specReplicas(rs) > 0) {
                scaledDown |= scale(d, rs, 0);
            }
        }
        if (scaledDown) {
            syncRolloutStatus(d, s, now);
            return;
        }
        if (oldPodsRunning(s.old())) {
            syncRolloutStatus(d, s, now);
            return;
        }
        if (s.newRS() == null) {
            s = sets(d, owned, true, now);
        }
        scale(d, s.newRS(), RolloutMath.replicas(d));
        DeploymentStatus next = DeploymentConditions.calculate(d, s.all(), s.newRS(), now);
        if (DeploymentConditions.complete(d, next)) {
            cleanup(d, s.old());
        }
        syncRolloutStatus(d, s, now);
    }

    private boolean oldPodsRunning(List<ReplicaSet> old) {
        for (ReplicaSet rs : old) {
            if (rs.getStatus() != null && rs.getStatus().getReplicas() != null && rs.getStatus().getReplicas() > 0) {
                return true;
            }
            for (Pod pod : pods.getIndexer().byIndex("namespace", rs.getMetadata().getNamespace())) {
                OwnerReference ref = Keys.controllerOf(pod);
                String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
                if (ref != null && Objects.equals(ref.getUid(), rs.getMetadata().getUid())
                        && !"Failed".equals(phase) && !"Succeeded".equals(phase)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Upstream's {@code isScalingEvent}: an active ReplicaSet's desired-replicas annotation differs from spec.replicas. */
    private static boolean isScalingEvent(Deployment d, List<ReplicaSet> owned) {
        String replicas = Integer.toString(RolloutMath.replicas(d));
        for (ReplicaSet rs : owned) {
            if (RolloutMath.specReplicas(rs) > 0) {
                String desired = annotationOf(rs, DESIRED_REPLICAS);
                if (desired != null && !desired.equals(replicas)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Upstream's {@code sync} for scaling events and paused deployments: resize without rolling out. */
    private void sync(Deployment d, List<ReplicaSet> owned, Instant now) {
        Sets s = sets(d, owned, false, now);
        scaleDeployment(d, s);
        if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
            // Upstream prunes history of paused deployments too.
            cleanup(d, s.old());
        }
        syncRolloutStatus(d, sets(d, refreshed(d, owned), false, now), now);
    }

    /** Upstream's {@code scale}: proportional scaling of all active ReplicaSets to the new size. */
    private void scaleDeployment(Deployment d, Sets s) {
        int replicas = RolloutMath.replicas(d);
        List<ReplicaSet> active = s.all().stream().filter(rs -> RolloutMath.specReplicas(rs) > 0).toList();
        ReplicaSet activeOrLatest = active.size() == 1 ? active.get(0)
                : active.isEmpty() ? (s.newRS() != null ? s.newRS() : s.all().stream().max(byCreation()).orElse(null))
                : null;
        if (activeOrLatest != null) {
            scale(d, activeOrLatest, replicas);
            return;
        }
        if (s.newRS() != null && RolloutMath.specReplicas(s.newRS()) == replicas
                && RolloutMath.available(s.newRS()) == replicas) {
            for (ReplicaSet rs : s.old()) {
                if (RolloutMath.specReplicas(rs) > 0) {
                    scale(d, rs, 0);
                }
            }
            return;
        }
        if (!RolloutMath.isRollingUpdate(d)) {
            return;
        }
        Map<ReplicaSet, Integer> sizes = DeploymentReplicaSets.proportionalSizes(d, active);
        sizes.forEach((rs, size) -> scale(d, rs, size));
    }

    /**
     * Upstream's {@code scaleReplicaSetAndRecordEvent}: sets replicas and the desired/max-replicas annotations;
     * answers whether the size changed.
     */
    private boolean scale(Deployment d, ReplicaSet rs, int size) {
        if (rs == null) {
            return false;
        }
        int current = RolloutMath.specReplicas(rs);
        String desired = Integer.toString(RolloutMath.replicas(d));
        String max = Integer.toString(RolloutMath.replicas(d) + RolloutMath.fenceposts(d).maxSurge());
        boolean annotationsChange = !desired.equals(annotationOf(rs, DESIRED_REPLICAS))
                || !max.equals(annotationOf(rs, MAX_REPLICAS));
        if (current == size && !annotationsChange) {
            return false;
        }
        client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(new ReplicaSetBuilder(rs)
                .editMetadata().addToAnnotations(DESIRED_REPLICAS, desired).addToAnnotations(MAX_REPLICAS, max)
                .endMetadata().editSpec().withReplicas(size).endSpec().build()).update();
        if (current != size) {
            events.normal(d, "ScalingReplicaSet", "Scaled " + (size > current ? "up" : "down") + " replica set "
                    + rs.getMetadata().getName() + " from " + current + " to " + size);
        }
        return current != size;
    }

    /** Upstream's {@code cleanupDeployment}: deletes the oldest idle ReplicaSets beyond revisionHistoryLimit. */
    private void cleanup(Deployment d, List<ReplicaSet> old) {
        for (ReplicaSet rs : DeploymentReplicaSets.beyondHistoryLimit(d, old)) {
            client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
                    .withName(rs.getMetadata().getName()).delete();
        }
    }

    // ---- status ------------------------------------------------------------------------------------------------

    private void checkPausedConditions(Deployment d, Instant now) {
        DeploymentStatus status = DeploymentConditions.pausedTransition(d, now);
        if (status != null) {
            writeStatus(d, status);
        }
    }

    private void syncStatusOnly(Deployment d, List<ReplicaSet> owned, Instant now) {
        Sets s = sets(d, owned, false, now);
        DeploymentStatus next = DeploymentConditions.calculate(d, s.all(), s.newRS(), now);
        if (!Objects.equals(d.getStatus(), next)) {
            writeStatus(d, next);
        }
    }

    private void syncRolloutStatus(Deployment d, Sets s, Instant now) {
        DeploymentStatus next = DeploymentConditions.calculate(d, s.all(), s.newRS(), now);
        DeploymentConditions.updateProgressing(d, next, s.newRS(), now);
        if (!Objects.equals(d.getStatus(), next)) {
            writeStatus(d, next);
        }
        // Wake up at the progress deadline: nothing else would notice it passing (upstream's requeueStuckDeployment).
        DeploymentConditions.untilProgressDeadline(d, next, now)
                .ifPresent(after -> controller.enqueueAfter(Keys.of(d), after));
    }

    private Deployment writeStatus(Deployment d, DeploymentStatus status) {
        Deployment copy = new DeploymentBuilder(d).withStatus(status).build();
        Deployment written = client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(copy)
                .updateStatus();
        // Later writes in this reconcile build on this one (upstream mutates its working copy the same way).
        d.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
        d.setStatus(written.getStatus());
        return written;
    }

    @Override
    public void close() {
        controller.close();
    }
}
