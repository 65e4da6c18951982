package dev.skiff.apiserver.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.handler.TypeStrategy;

/**
 * The Service's per-kind behaviour beyond the generic registry, as kube-apiserver's service strategy and REST
 * storage add it: cluster IP and IP family fields prepared, type and port rules validated, cluster IPs and node
 * ports allocated on create and update and released when the service goes, and deletes answered with the deleted
 * service. Thread-safe.
 */
public final class ServiceStrategy implements TypeStrategy {

    private final ServiceAllocator allocator;

    public ServiceStrategy(ServiceAllocator allocator) {
        this.allocator = allocator;
    }

    @Override
    public void prepareForCreate(ObjectNode service) {
        ServicePreparation.normalizeClusterIPs(service, null);
        ServiceIpFamilies.initialize(service, null, allocator.network().clusterIpRange().family());
    }

    @Override
    public void prepareForUpdate(ObjectNode current, ObjectNode next, String subresource) {
        if (!subresource.isEmpty()) {
            return;
        }
        ServicePreparation.patchAllocatedValues(next, current);
        ServicePreparation.normalizeClusterIPs(next, current);
        ServicePreparation.dropTypeDependentFields(next, current);
        ServiceIpFamilies.initialize(next, current, allocator.network().clusterIpRange().family());
    }

    @Override
    public void validate(ObjectNode object, ObjectNode current) {
        ServiceValidation.validate(object, current);
    }

    @Override
    public Finish beginCreate(ObjectNode object, boolean dryRun) {
        return allocator.allocateCreate(object, dryRun);
    }

    @Override
    public Finish beginUpdate(ObjectNode current, ObjectNode next, String subresource, boolean dryRun) {
        return subresource.isEmpty() ? allocator.allocateUpdate(current, next, dryRun) : Finish.NOTHING;
    }

    @Override
    public void afterDelete(ObjectNode removed) {
        allocator.releaseAll(removed);
    }

    @Override
    public boolean returnsDeletedObject() {
        return true;
    }
}
