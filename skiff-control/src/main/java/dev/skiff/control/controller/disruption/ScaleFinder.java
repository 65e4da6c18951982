package dev.skiff.control.controller.disruption;

import io.fabric8.kubernetes.api.model.OwnerReference;

/**
 * Finds the scale of the workload behind a pod's controller reference, as upstream's disruption controller
 * "finders" do (ReplicationController, Deployment through its ReplicaSet, ReplicaSet, StatefulSet).
 *
 * <p>Implementations must be thread-safe; they may block on an API call.
 */
@FunctionalInterface
public interface ScaleFinder {

    /** The controlling workload's scale, or {@code null} when no supported controller with that uid exists. */
    ControllerScale find(OwnerReference controllerRef, String namespace);
}
