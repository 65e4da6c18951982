package dev.skiff.control.controller.endpoint;

import dev.skiff.control.controller.Controller;
import dev.skiff.control.controller.Keys;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The link between pods and the services selecting them, from the shared informer caches: a pod event wakes the
 * services whose selector matches the pod before or after the change (upstream's {@code getPodServiceMemberships}),
 * and a service reconcile lists its pods.
 */
final class ServicePods {

    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<Pod> pods;

    ServicePods(SharedIndexInformer<Service> services, SharedIndexInformer<Pod> pods) {
        this.services = services;
        this.pods = pods;
    }

    /** The pods of the service's namespace its selector matches; empty for a service without selector. */
    List<Pod> podsOf(Service service) {
        Map<String, String> selector = PodEndpoints.selector(service);
        List<Pod> selected = new ArrayList<>();
        if (selector == null) {
            return selected;
        }
        for (Pod pod : pods.getIndexer().byIndex("namespace", service.getMetadata().getNamespace())) {
            if (PodEndpoints.selects(selector, pod.getMetadata().getLabels())) {
                selected.add(pod);
            }
        }
        return selected;
    }

    /** Enqueues, on the controller, the services of every pod event that can change endpoints. */
    void wakeServicesOnPodEvents(Controller controller) {
        pods.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                enqueueServices(controller, pod);
            }

            @Override
            public void onUpdate(Pod before, Pod after) {
                if (!PodEndpoints.endpointsChanged(before, after)) {
                    return;
                }
                enqueueServices(controller, after);
                if (!java.util.Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())) {
                    enqueueServices(controller, before);
                }
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
                enqueueServices(controller, pod);
            }
        });
    }

    private void enqueueServices(Controller controller, Pod pod) {
        for (Service service : services.getIndexer().byIndex("namespace", pod.getMetadata().getNamespace())) {
            if (PodEndpoints.selects(PodEndpoints.selector(service), pod.getMetadata().getLabels())) {
                controller.enqueue(Keys.of(service));
            }
        }
    }
}
