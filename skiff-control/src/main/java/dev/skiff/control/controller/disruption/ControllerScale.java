package dev.skiff.control.controller.disruption;

/**
 * The scale of the workload controlling some pods: its uid (several ReplicaSets of one Deployment count once) and
 * its desired replicas.
 */
public record ControllerScale(String uid, int replicas) {
}
