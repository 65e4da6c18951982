package dev.skiff.control.controller.statefulset;

import io.fabric8.kubernetes.api.model.Pod;

/** One write a StatefulSet sync decided on; {@link StatefulSetSync} lists them in the order they must happen. */
public sealed interface SyncAction {

    /** Why a pod is deleted (each has its own upstream event or log line). */
    enum DeleteReason {
        /** The pod failed: it is deleted so that a pod of the same name is created afresh. */
        RECREATE_FAILED,
        /** The pod's containers all exited (Succeeded): a StatefulSet pod must keep running, so it is recreated too. */
        RECREATE_SUCCEEDED,
        /** The ordinal is outside {@code [start, start + replicas)}. */
        SCALE_DOWN,
        /** The pod is at an old revision and the rolling update reached its ordinal. */
        UPDATE
    }

    /** Create pod {@code <set>-<ordinal>} (and its claims) from the template of {@code revision}. */
    record Create(int ordinal, String revision) implements SyncAction {
    }

    record Delete(Pod pod, DeleteReason reason) implements SyncAction {
    }

    /** The pod lost its identity labels (someone edited them): put them back, as upstream's UpdateStatefulPod. */
    record RestoreIdentity(Pod pod, int ordinal) implements SyncAction {
    }
}
