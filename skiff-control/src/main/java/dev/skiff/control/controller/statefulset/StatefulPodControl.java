package dev.skiff.control.controller.statefulset;

import dev.skiff.control.controller.EventRecorder;
import dev.skiff.control.controller.Keys;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pod and claim writes of the StatefulSet controller, after upstream's {@code StatefulPodControl}: claims are
 * created before their pod, every write is recorded as an Event on the set ({@code SuccessfulCreate},
 * {@code SuccessfulDelete}, {@code FailedCreate}, {@code FailedDelete}, {@code RecreatingFailedPod}, ...).
 *
 * <p>Thread-safe; blocks on API calls.
 */
final class StatefulPodControl {

    private final KubernetesClient client;
    private final SharedIndexInformer<PersistentVolumeClaim> claims;
    private final EventRecorder events;

    StatefulPodControl(KubernetesClient client, SharedIndexInformer<PersistentVolumeClaim> claims,
                       EventRecorder events) {
        this.client = client;
        this.claims = claims;
        this.events = events;
    }

    /** Creates the pod's missing claims, then the pod (a 409 means it still exists: the sync retries later). */
    void create(StatefulSet set, PodTemplateSpec template, String revision, int ordinal) {
        Pod pod = StatefulPods.newPod(set, template, revision, ordinal);
        createMissingClaims(set, pod, ordinal);
        try {
            client.pods().inNamespace(set.getMetadata().getNamespace()).resource(pod).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                events.warning(set, "FailedCreate", "create Pod " + pod.getMetadata().getName() + " in StatefulSet "
                        + set.getMetadata().getName() + " failed error: " + e.getMessage());
            }
            throw e;
        }
        events.normal(set, "SuccessfulCreate", "create Pod " + pod.getMetadata().getName() + " in StatefulSet "
                + set.getMetadata().getName() + " successful");
    }

    /** Upstream's {@code createPersistentVolumeClaims}: each claim of the ordinal the cache does not know. */
    void createMissingClaims(StatefulSet set, Pod pod, int ordinal) {
        boolean inRange = StatefulSets.inOrdinalRange(set, ordinal);
        for (PersistentVolumeClaim claim : StatefulPods.claims(set, ordinal).values()) {
            if (claims.getIndexer().getByKey(Keys.of(claim)) != null) {
                continue;
            }
            // The pod does not exist yet, so only the set can be an owner at creation (whenDeleted: Delete).
            List<OwnerReference> owners = ClaimRetention.reconcile(claim, set, null, inRange);
            PersistentVolumeClaim toCreate = owners == null ? claim
                    : new PersistentVolumeClaimBuilder(claim).editMetadata().withOwnerReferences(owners).endMetadata()
                    .build();
            try {
                client.persistentVolumeClaims().inNamespace(set.getMetadata().getNamespace()).resource(toCreate)
                        .create();
                events.normal(set, "SuccessfulCreate", "create Claim " + claim.getMetadata().getName() + " Pod "
                        + pod.getMetadata().getName() + " in StatefulSet " + set.getMetadata().getName() + " success");
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    events.warning(set, "FailedCreate", "create Claim " + claim.getMetadata().getName() + " for Pod "
                            + pod.getMetadata().getName() + " in StatefulSet " + set.getMetadata().getName()
                            + " failed error: " + e.getMessage());
                    throw e;
                }
            }
        }
    }

    /**
     * Brings the owner references of the pod's existing claims in line with the retention policy (upstream's
     * {@code UpdatePodClaimForRetentionPolicy}), before a scale-down deletes the pod.
     */
    void reconcileRetention(StatefulSet set, Pod pod, int ordinal) {
        boolean inRange = StatefulSets.inOrdinalRange(set, ordinal);
        for (PersistentVolumeClaim wanted : StatefulPods.claims(set, ordinal).values()) {
            PersistentVolumeClaim claim = claims.getIndexer().getByKey(Keys.of(wanted));
            if (claim == null || claim.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            List<OwnerReference> owners = ClaimRetention.reconcile(claim, set, pod, inRange);
            if (owners == null) {
                continue;
            }
            try {
                client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                        .withName(claim.getMetadata().getName())
                        .edit(current -> {
                            List<OwnerReference> refs = ClaimRetention.reconcile(current, set, pod, inRange);
                            return refs == null ? current : new PersistentVolumeClaimBuilder(current).editMetadata()
                                    .withOwnerReferences(refs).endMetadata().build();
                        });
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
    }

    /** Deletes the pod (gracefully: the node stops it, then the API server removes it). */
    void delete(StatefulSet set, Pod pod, SyncAction.DeleteReason reason) {
        String name = pod.getMetadata().getName();
        String setName = set.getMetadata().getNamespace() + "/" + set.getMetadata().getName();
        switch (reason) {
            case RECREATE_FAILED -> events.warning(set, "RecreatingFailedPod",
                    "StatefulSet " + setName + " is recreating failed Pod " + name);
            case RECREATE_SUCCEEDED -> events.normal(set, "RecreatingTerminatedPod",
                    "StatefulSet " + setName + " is recreating terminated Pod " + name);
            default -> {
                // scale-down and update deletions are reported by the SuccessfulDelete event below
            }
        }
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(name).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return;
            }
            events.warning(set, "FailedDelete", "delete Pod " + name + " in StatefulSet "
                    + set.getMetadata().getName() + " failed error: " + e.getMessage());
            throw e;
        }
        events.normal(set, "SuccessfulDelete", "delete Pod " + name + " in StatefulSet "
                + set.getMetadata().getName() + " successful");
    }

    /** Puts the identity labels back on a pod that lost them (upstream's {@code UpdateStatefulPod}). */
    void restoreIdentity(StatefulSet set, Pod pod, int ordinal) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .edit(current -> {
                    Map<String, String> labels = current.getMetadata().getLabels() == null
                            ? new HashMap<>() : new HashMap<>(current.getMetadata().getLabels());
                    labels.put(StatefulSets.POD_NAME_LABEL, current.getMetadata().getName());
                    labels.put(StatefulSets.POD_INDEX_LABEL, String.valueOf(ordinal));
                    return new PodBuilder(current).editMetadata().withLabels(labels).endMetadata().build();
                });
    }
}
