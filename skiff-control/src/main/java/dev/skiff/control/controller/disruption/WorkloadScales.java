package dev.skiff.control.controller.disruption;

import dev.skiff.control.controller.Keys;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.Objects;

/**
 * The {@link ScaleFinder} of upstream's disruption controller, in its order: a ReplicaSet controlled by a
 * Deployment stands for the Deployment (so a rollout's ReplicaSets count once, at the Deployment's replicas); a
 * bare ReplicaSet for itself; StatefulSets and ReplicationControllers through their {@code /scale} subresource.
 * ReplicaSets and Deployments come from the shared informer caches. Every answer checks the uid of the reference,
 * so a same-named successor is not mistaken for the pod's controller.
 *
 * <p>Thread-safe; StatefulSet and ReplicationController lookups block on an API call.
 */
final class WorkloadScales implements ScaleFinder {

    private final KubernetesClient client;
    private final SharedIndexInformer<ReplicaSet> replicaSets;
    private final SharedIndexInformer<Deployment> deployments;

    WorkloadScales(KubernetesClient client, SharedIndexInformer<ReplicaSet> replicaSets,
                   SharedIndexInformer<Deployment> deployments) {
        this.client = client;
        this.replicaSets = replicaSets;
        this.deployments = deployments;
    }

    @Override
    public ControllerScale find(OwnerReference ref, String namespace) {
        String kind = ref.getKind() + "@" + ref.getApiVersion();
        return switch (kind) {
            case "ReplicaSet@apps/v1" -> replicaSet(ref, namespace);
            case "StatefulSet@apps/v1" -> scale(ref, () -> client.apps().statefulSets().inNamespace(namespace)
                    .withName(ref.getName()).scale());
            case "ReplicationController@v1" -> scale(ref, () -> client.replicationControllers()
                    .inNamespace(namespace).withName(ref.getName()).scale());
            default -> null;
        };
    }

    private ControllerScale replicaSet(OwnerReference ref, String namespace) {
        ReplicaSet rs = replicaSets.getIndexer().getByKey(Keys.of(namespace, ref.getName()));
        if (rs == null || !Objects.equals(rs.getMetadata().getUid(), ref.getUid())) {
            return null;
        }
        OwnerReference owner = Keys.controllerOf(rs);
        if (owner != null && "Deployment".equals(owner.getKind())) {
            Deployment deployment = deployments.getIndexer().getByKey(Keys.of(namespace, owner.getName()));
            if (deployment == null || !Objects.equals(deployment.getMetadata().getUid(), owner.getUid())) {
                return null;
            }
            return new ControllerScale(owner.getUid(), replicas(deployment.getSpec().getReplicas()));
        }
        return new ControllerScale(ref.getUid(), replicas(rs.getSpec().getReplicas()));
    }

    private static ControllerScale scale(OwnerReference ref, java.util.function.Supplier<Scale> read) {
        Scale scale;
        try {
            scale = read.get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return null;
            }
            throw e;
        }
        if (scale == null || !Objects.equals(scale.getMetadata().getUid(), ref.getUid())) {
            return null;
        }
        return new ControllerScale(ref.getUid(), replicas(scale.getSpec().getReplicas()));
    }

    private static int replicas(Integer replicas) {
        return replicas == null ? 1 : replicas;
    }
}
