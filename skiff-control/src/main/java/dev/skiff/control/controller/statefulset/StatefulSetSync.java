package dev.skiff.control.controller.statefulset;

import dev.skiff.control.controller.statefulset.SyncAction.Create;
import dev.skiff.control.controller.statefulset.SyncAction.Delete;
import dev.skiff.control.controller.statefulset.SyncAction.DeleteReason;
import dev.skiff.control.controller.statefulset.SyncAction.RestoreIdentity;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Plans one sync of a StatefulSet over a snapshot of its pods, after upstream's {@code updateStatefulSet} in
 * {@code stateful_set_control.go}. Pure: no I/O, the clock is a parameter, so the ordering rules are table-tested.
 *
 * <p>The order of work mirrors upstream: first every ordinal in {@code [start, start + replicas)} is brought to life
 * (failed pods deleted for recreation, missing pods created); then pods with ordinals outside the range are deleted,
 * highest first; only then is a rolling update allowed to delete an old-revision pod, highest ordinal first, down to
 * the partition. With {@code OrderedReady} each step waits for every lower ordinal to be Running, Ready and
 * available for minReadySeconds, and at most one pod is created or deleted per sync; with {@code Parallel} creations
 * and scale-down deletions happen together (rolling updates stay one at a time in both modes, as upstream).
 *
 * <p>Deviation: a failed pod is only deleted in this sync; its successor is created by the sync that sees it gone
 * (upstream creates at once and gets AlreadyExists while the old pod terminates gracefully).
 */
public final class StatefulSetSync {

    private StatefulSetSync() {
    }

    /**
     * @param pods            the set's pods (claimed by it, any phase, including terminating ones)
     * @param currentRevision the name of the revision pods below the partition are created at
     * @param updateRevision  the name of the revision matching the set's template
     */
    public static SyncPlan plan(StatefulSet set, List<Pod> pods, String currentRevision, String updateRevision,
                                int collisionCount, Instant now) {
        int start = StatefulSets.startOrdinal(set);
        int count = StatefulSets.replicas(set);
        int minReady = StatefulSets.minReadySeconds(set);
        Pod[] replicas = new Pod[count];
        List<Pod> condemned = new ArrayList<>();
        for (Pod pod : pods) {
            int ordinal = StatefulSets.ordinal(pod);
            if (StatefulSets.inOrdinalRange(set, ordinal)) {
                replicas[ordinal - start] = pod;
            } else if (ordinal >= 0) {
                condemned.add(pod);
            }
        }
        condemned.sort(Comparator.comparingInt(StatefulSets::ordinal).reversed());

        // Upstream lets the lowest unhealthy pod be removed by a scale-down even when it is not ready.
        Pod firstUnhealthy = null;
        boolean missingReplica = false;
        for (Pod pod : replicas) {
            if (pod == null) {
                missingReplica = true;
            } else if (firstUnhealthy == null && !missingReplica && !StatefulSets.isHealthy(pod)) {
                firstUnhealthy = pod;
            }
        }
        if (firstUnhealthy == null && !missingReplica) {
            for (int i = condemned.size() - 1; i >= 0; i--) {
                if (!StatefulSets.isHealthy(condemned.get(i))) {
                    firstUnhealthy = condemned.get(i);
                    break;
                }
            }
        }

        List<SyncAction> actions = new ArrayList<>();
        Set<Pod> replaced = new HashSet<>();
        if (set.getMetadata().getDeletionTimestamp() == null) {
            boolean monotonic = !StatefulSets.allowsBurst(set);
            boolean blocked = processReplicas(set, replicas, currentRevision, updateRevision, monotonic, minReady,
                    now, actions, replaced);
            if (!blocked) {
                blocked = processCondemned(condemned, firstUnhealthy, monotonic, minReady, now, actions);
            }
            if (!blocked && !StatefulSets.onDelete(set)) {
                rollingUpdate(set, replicas, updateRevision, actions);
            }
        }
        List<Pod> counted = new ArrayList<>();
        for (Pod pod : replicas) {
            if (pod != null && !replaced.contains(pod)) {
                counted.add(pod);
            }
        }
        counted.addAll(condemned);
        return new SyncPlan(actions, status(set, counted, actions, currentRevision, updateRevision, collisionCount,
                minReady, now));
    }

    /** Answers whether the sync must stop here (OrderedReady waiting on a pod). */
    private static boolean processReplicas(StatefulSet set, Pod[] replicas, String currentRevision,
                                           String updateRevision, boolean monotonic, int minReady, Instant now,
                                           List<SyncAction> actions, Set<Pod> replaced) {
        int start = StatefulSets.startOrdinal(set);
        for (int i = 0; i < replicas.length; i++) {
            int ordinal = start + i;
            Pod pod = replicas[i];
            if (pod != null && (StatefulSets.isFailed(pod) || StatefulSets.isSucceeded(pod))
                    && !StatefulSets.isTerminating(pod)) {
                actions.add(new Delete(pod, StatefulSets.isFailed(pod)
                        ? DeleteReason.RECREATE_FAILED : DeleteReason.RECREATE_SUCCEEDED));
                replaced.add(pod);
                if (monotonic) {
                    return true;
                }
                continue;
            }
            if (pod == null) {
                actions.add(new Create(ordinal, createdRevision(set, ordinal, currentRevision, updateRevision)));
                if (monotonic) {
                    return true;
                }
                continue;
            }
            if (monotonic && (StatefulSets.isTerminating(pod) || !StatefulSets.isRunningAndReady(pod)
                    || !StatefulSets.isRunningAndAvailable(pod, minReady, now))) {
                return true;
            }
            if (!StatefulSets.isTerminating(pod) && !identityMatches(set, pod, ordinal)) {
                actions.add(new RestoreIdentity(pod, ordinal));
            }
        }
        return false;
    }

    /** Scale-down, highest ordinal first; answers whether the sync must stop here. */
    private static boolean processCondemned(List<Pod> condemned, Pod firstUnhealthy, boolean monotonic, int minReady,
                                            Instant now, List<SyncAction> actions) {
        for (Pod pod : condemned) {
            if (StatefulSets.isTerminating(pod)) {
                if (monotonic) {
                    return true; // wait for the graceful deletion to finish before touching the next ordinal
                }
                continue;
            }
            if (monotonic && pod != firstUnhealthy && (!StatefulSets.isRunningAndReady(pod)
                    || !StatefulSets.isRunningAndAvailable(pod, minReady, now))) {
                return true;
            }
            actions.add(new Delete(pod, DeleteReason.SCALE_DOWN));
            if (monotonic) {
                return true;
            }
        }
        return false;
    }

    /**
     * RollingUpdate: without {@code maxUnavailable}, upstream's classic loop (delete the highest old-revision pod at
     * or above the partition; wait while a pod there is unhealthy); with it, upstream's MaxUnavailableStatefulSet
     * path (delete up to maxUnavailable minus the unavailable pods, highest first).
     */
    private static void rollingUpdate(StatefulSet set, Pod[] replicas, String updateRevision,
                                      List<SyncAction> actions) {
        int updateMin = StatefulSets.partition(set);
        IntOrString maxUnavailable = set.getSpec().getUpdateStrategy() == null
                || set.getSpec().getUpdateStrategy().getRollingUpdate() == null ? null
                : set.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable();
        if (maxUnavailable == null) {
            for (int target = replicas.length - 1; target >= updateMin; target--) {
                Pod pod = replicas[target];
                if (pod == null) {
                    return;
                }
                if (!updateRevision.equals(StatefulSets.revisionOf(pod)) && !StatefulSets.isTerminating(pod)) {
                    actions.add(new Delete(pod, DeleteReason.UPDATE));
                    return;
                }
                if (!StatefulSets.isHealthy(pod)) {
                    return;
                }
            }
            return;
        }
        int allowed = maxUnavailable(maxUnavailable, replicas.length);
        int unavailable = 0;
        for (Pod pod : replicas) {
            if (pod == null || !StatefulSets.isHealthy(pod)) {
                unavailable++;
            }
        }
        int budget = allowed - unavailable;
        for (int target = replicas.length - 1; target >= updateMin && budget > 0; target--) {
            Pod pod = replicas[target];
            if (pod != null && !updateRevision.equals(StatefulSets.revisionOf(pod))
                    && !StatefulSets.isTerminating(pod)) {
                actions.add(new Delete(pod, DeleteReason.UPDATE));
                budget--;
            }
        }
    }

    /** Upstream's {@code getStatefulSetMaxUnavailable}: a count, or a percentage of replicas rounded down; at least 1. */
    static int maxUnavailable(IntOrString value, int replicas) {
        int result;
        if (value.getIntVal() != null) {
            result = value.getIntVal();
        } else {
            String text = value.getStrVal() == null ? "" : value.getStrVal().trim();
            if (text.endsWith("%")) {
                int percent = Integer.parseInt(text.substring(0, text.length() - 1));
                result = (int) Math.floor(percent * (double) replicas / 100.0);
            } else {
                result = Integer.parseInt(text);
            }
        }
        return Math.max(result, 1);
    }

    /**
     * Upstream's {@code newVersionedStatefulSetPod}: under RollingUpdate, ordinals below the partition are created
     * at the current revision (a partitioned rollout must not advance them by recreation); all others at the
     * update revision.
     */
    static String createdRevision(StatefulSet set, int ordinal, String currentRevision, String updateRevision) {
        if (!StatefulSets.onDelete(set) && ordinal < StatefulSets.startOrdinal(set) + StatefulSets.partition(set)) {
            return currentRevision;
        }
        return updateRevision;
    }

    /** Upstream's {@code identityMatches}: the name and the identity labels say this set and ordinal. */
    static boolean identityMatches(StatefulSet set, Pod pod, int ordinal) {
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        String name = StatefulSets.podName(set, ordinal);
        return name.equals(pod.getMetadata().getName())
                && Objects.equals(set.getMetadata().getNamespace(), pod.getMetadata().getNamespace())
                && name.equals(labels.get(StatefulSets.POD_NAME_LABEL))
                && String.valueOf(ordinal).equals(labels.get(StatefulSets.POD_INDEX_LABEL));
    }

    /**
     * Upstream's {@code computeReplicaStatus} plus {@code completeRollingUpdate}: counts over the pods that stay,
     * one current replica fewer per pod deleted for the update, and the rollout declared complete once every pod
     * is updated and ready.
     */
    static StatefulSetStatus status(StatefulSet set, List<Pod> pods, List<SyncAction> actions, String currentRevision,
                                    String updateRevision, int collisionCount, int minReady, Instant now) {
        int replicas = 0;
        int ready = 0;
        int available = 0;
        int current = 0;
        int updated = 0;
        for (Pod pod : pods) {
            boolean created = !StatefulSets.phase(pod).isEmpty();
            if (created) {
                replicas++;
            }
            if (StatefulSets.isRunningAndReady(pod)) {
                ready++;
                if (StatefulSets.isRunningAndAvailable(pod, minReady, now)) {
                    available++;
                }
            }
            if (created && !StatefulSets.isTerminating(pod)) {
                String revision = StatefulSets.revisionOf(pod);
                if (revision.equals(currentRevision)) {
                    current++;
                }
                if (revision.equals(updateRevision)) {
                    updated++;
                }
            }
        }
        for (SyncAction action : actions) {
            if (action instanceof Delete d && d.reason() == DeleteReason.UPDATE) {
                current--;
            }
        }
        String reportedCurrent = currentRevision;
        if (!StatefulSets.onDelete(set) && updated == replicas && ready == replicas) {
            current = updated;
            reportedCurrent = updateRevision;
        }
        return new StatefulSetStatusBuilder()
                .withObservedGeneration(set.getMetadata().getGeneration())
                .withReplicas(replicas)
                .withReadyReplicas(ready)
                .withAvailableReplicas(available)
                .withCurrentReplicas(current)
                .withUpdatedReplicas(updated)
                .withCurrentRevision(reportedCurrent)
                .withUpdateRevision(updateRevision)
                .withCollisionCount(collisionCount)
                .withConditions(set.getStatus() == null || set.getStatus().getConditions() == null
                        ? List.of() : set.getStatus().getConditions())
                .build();
    }
}
