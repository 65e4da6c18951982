package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.resource.ResourceType;
import java.util.Set;

/**
 * What deleting an object of a resource does to its dependents when the client names no propagation policy:
 * upstream's {@code rest.GarbageCollectionPolicy}, answered by each REST strategy's
 * {@code DefaultGarbageCollectionPolicy} for the group version of the request.
 */
public enum GarbageCollectionPolicy {

    /** Dependents are collected in the background after the owner is gone (upstream's generic default). */
    DELETE_DEPENDENTS,
    /** The owner gets the {@code orphan} finalizer: dependents lose their owner reference and stay. */
    ORPHAN_DEPENDENTS,
    /** The kind takes part in no garbage collection: delete options never add or change finalizers. */
    UNSUPPORTED;

    /**
     * Versions of the workload kinds that existed before server-side garbage collection keep orphaning by default,
     * for backwards compatibility (upstream's deployment, replicaset, daemonset and statefulset strategies).
     */
    private static final Set<String> LEGACY_WORKLOAD_VERSIONS =
            Set.of("extensions/v1beta1", "apps/v1beta1", "apps/v1beta2");
    private static final Set<String> WORKLOADS =
            Set.of("deployments", "replicasets", "daemonsets", "statefulsets");

    /** The default for a request to {@code type} (its group and version are the request's). */
    public static GarbageCollectionPolicy defaultFor(ResourceType type) {
        String group = type.group();
        String resource = type.plural();
        if (resource.equals("events") && (group.isEmpty() || group.equals("events.k8s.io"))) {
            return UNSUPPORTED; // upstream's event strategy: events are never owners worth finalizing
        }
        if (group.isEmpty() && type.version().equals("v1") && resource.equals("replicationcontrollers")) {
            return ORPHAN_DEPENDENTS; // core/v1 replication controllers kept their pre-GC behaviour
        }
        if (group.equals("batch") && type.version().equals("v1") && resource.equals("jobs")) {
            return ORPHAN_DEPENDENTS; // batch/v1 jobs likewise; kubectl always sends a policy, other clients beware
        }
        if (WORKLOADS.contains(resource) && LEGACY_WORKLOAD_VERSIONS.contains(type.apiVersion())) {
            return ORPHAN_DEPENDENTS;
        }
        return DELETE_DEPENDENTS;
    }
}
