package dev.skiff.control.controller;

import dev.skiff.control.scheduler.model.Selector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.Objects;

/**
 * Which deployments wake up on ReplicaSet and pod events, as upstream's addReplicaSet/updateReplicaSet/
 * deleteReplicaSet and deletePod: a ReplicaSet wakes its controlling deployment, an orphan every deployment whose
 * selector matches it (to adopt it); a deleted pod wakes the deployment of its ReplicaSet (Recreate waits for the old
 * pods to be gone).
 */
final class DeploymentEvents {

    private DeploymentEvents() {
    }

    static void wakeOnReplicaSetsAndPods(Controller controller, SharedIndexInformer<Deployment> deployments,
            SharedIndexInformer<ReplicaSet> replicaSets, SharedIndexInformer<Pod> pods) {
        replicaSets.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ReplicaSet rs) {
                enqueueFor(controller, deployments, rs);
            }

            @Override
            public void onUpdate(ReplicaSet before, ReplicaSet after) {
                if (!enqueueFor(controller, deployments, after)
                        || !Objects.equals(Keys.controllerOf(before), Keys.controllerOf(after))) {
                    enqueueFor(controller, deployments, before);
                }
            }

            @Override
            public void onDelete(ReplicaSet rs, boolean unknown) {
                enqueueFor(controller, deployments, rs);
            }
        });
        InformerHandlers.onDelete(pods, pod -> {
            OwnerReference ref = Keys.controllerOf(pod);
            if (ref != null && ReplicaSetController.KIND.equals(ref.getKind())) {
                ReplicaSet rs = replicaSets.getIndexer().getByKey(
                        Keys.of(pod.getMetadata().getNamespace(), ref.getName()));
                if (rs != null) {
                    controller.enqueueOwner(rs, DeploymentController.KIND);
                }
            }
        });
    }

    /** Enqueues the ReplicaSet's deployment, or for an orphan every deployment whose selector matches it. */
    private static boolean enqueueFor(Controller controller, SharedIndexInformer<Deployment> deployments,
            ReplicaSet rs) {
        if (controller.enqueueOwner(rs, DeploymentController.KIND)) {
            return true;
        }
        if (Keys.controllerOf(rs) == null) {
            for (Deployment d : deployments.getIndexer().byIndex("namespace", rs.getMetadata().getNamespace())) {
                if (Selector.of(d.getSpec().getSelector()).matches(ReplicaSetController.labels(rs))) {
                    controller.enqueue(Keys.of(d));
                }
            }
        }
        return false;
    }
}
