package dev.skiff.control.controller.statefulset;

import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;

import java.util.List;

/**
 * The outcome of planning one sync: the writes in order, and the status to report if they all succeed.
 *
 * @param actions writes to carry out in order, stopping at the first that fails
 * @param status  the StatefulSet status computed from the snapshot and the planned writes
 */
public record SyncPlan(List<SyncAction> actions, StatefulSetStatus status) {

    public SyncPlan {
        actions = List.copyOf(actions);
    }
}
