package dev.skiff.control.controller.statefulset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code persistentVolumeClaimRetentionPolicy} as owner references, after upstream's
 * {@code updateClaimOwnerRefForSetAndPod}: the controller never deletes a claim itself; it makes the claim a
 * dependent of whatever must take it along and leaves the deletion to the garbage collector.
 * <ul>
 *   <li>{@code whenDeleted: Delete}: the claim is owned by the StatefulSet (while its pod is in range, or whenever
 *       {@code whenScaled} is Retain);</li>
 *   <li>{@code whenScaled: Delete}: the claim of a pod scaled down (ordinal out of range) is owned by that pod, so it
 *       goes when the pod goes;</li>
 *   <li>Retain/Retain (the default): no owner references from the set or pod.</li>
 * </ul>
 * Pure and thread-safe.
 */
public final class ClaimRetention {

    private ClaimRetention() {
    }

    /** Which owners a claim must have. */
    public record Owners(boolean set, boolean pod) {
    }

    public static Owners desired(StatefulSet set, boolean podInRange) {
        var policy = set.getSpec().getPersistentVolumeClaimRetentionPolicy();
        boolean deleteWhenDeleted = policy != null && "Delete".equals(policy.getWhenDeleted());
        boolean deleteWhenScaled = policy != null && "Delete".equals(policy.getWhenScaled());
        if (deleteWhenScaled && !podInRange) {
            return new Owners(false, true);
        }
        return new Owners(deleteWhenDeleted, false);
    }

    /**
     * The claim's owner references as the policy wants them, or {@code null} when they already are. References to
     * other owners are kept.
     */
    public static List<OwnerReference> reconcile(PersistentVolumeClaim claim, StatefulSet set, Pod pod,
                                                 boolean podInRange) {
        Owners owners = desired(set, podInRange);
        List<OwnerReference> current = claim.getMetadata().getOwnerReferences() == null
                ? List.of() : claim.getMetadata().getOwnerReferences();
        List<OwnerReference> next = new ArrayList<>();
        for (OwnerReference ref : current) {
            boolean isSet = Objects.equals(ref.getUid(), set.getMetadata().getUid());
            boolean isPod = pod != null && Objects.equals(ref.getUid(), pod.getMetadata().getUid());
            if ((isSet && !owners.set()) || (isPod && !owners.pod())) {
                continue;
            }
            next.add(ref);
        }
        if (owners.set() && next.stream().noneMatch(r -> Objects.equals(r.getUid(), set.getMetadata().getUid()))) {
            next.add(reference(StatefulSets.API_VERSION, StatefulSets.KIND, set));
        }
        if (owners.pod() && pod != null
                && next.stream().noneMatch(r -> Objects.equals(r.getUid(), pod.getMetadata().getUid()))) {
            next.add(reference("v1", "Pod", pod));
        }
        return next.equals(current) ? null : next;
    }

    private static OwnerReference reference(String apiVersion, String kind, HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind)
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).build();
    }
}
