package dev.skiff.control.controller.endpoint;

import dev.skiff.control.controller.InformerHandlers;
import dev.skiff.control.controller.ApiErrors;
import dev.skiff.control.controller.Controller;
import dev.skiff.control.controller.EventRecorder;
import dev.skiff.control.controller.Keys;
import dev.skiff.control.controller.Reconciler;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The Endpoints controller, as upstream's {@code pkg/controller/endpoint/endpoints_controller.go}: for every Service
 * with a selector (and not of type ExternalName) it keeps a core/v1 Endpoints object of the same name whose
 * subsets list the selected pods ({@link EndpointSubsets}), labelled like the service (plus
 * {@code service.kubernetes.io/headless} for headless services) and annotated with
 * {@code endpoints.kubernetes.io/last-change-trigger-time}. Services without a selector are left alone: their
 * Endpoints belong to their users. When the service goes, so does the Endpoints object.
 *
 * <p>Thread-safe: its {@link Controller} never reconciles one service on two threads. Reconciles block on API calls.
 */
public final class EndpointsController implements Reconciler, AutoCloseable {

    static final String TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";
    static final String OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity";
    static final String HEADLESS = "service.kubernetes.io/headless";

    private final KubernetesClient client;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<Endpoints> endpoints;
    private final ServicePods servicePods;
    private final TriggerTimes triggerTimes = new TriggerTimes();
    private final WriteTracker writes;
    private final EventRecorder events;
    private final Controller controller;

    public EndpointsController(KubernetesClient client, Clock clock, SharedIndexInformer<Service> services,
                               SharedIndexInformer<Pod> pods, SharedIndexInformer<Endpoints> endpoints, int workers,
                               ScheduledExecutorService executor) {
        this.client = client;
        this.services = services;
        this.endpoints = endpoints;
        this.servicePods = new ServicePods(services, pods);
        this.writes = new WriteTracker(clock);
        this.events = new EventRecorder(client, clock, "endpoint-controller");
        this.controller = new Controller("endpoint", this, workers, executor);
        controller.watch(services);
        servicePods.wakeServicesOnPodEvents(controller);
        // Someone deleting a managed Endpoints object gets it back (upstream's onEndpointsDelete). Adds are not
        // watched: Endpoints created before their selector-less Service belong to their users.
        InformerHandlers.onDelete(endpoints, obj -> controller.enqueue(Keys.of(obj)));
    }

    public Controller controller() {
        return controller;
    }

    @Override
    public void reconcile(String key) {
        String namespace = Keys.namespace(key);
        String name = Keys.name(key);
        Service service = services.getIndexer().getByKey(key);
        Endpoints current = endpoints.getIndexer().getByKey(key);
        if (service == null) {
            triggerTimes.forget(key);
            writes.forget(key);
            if (current != null) {
                deleteEndpoints(namespace, name);
            }
            return;
        }
        if ("ExternalName".equals(service.getSpec().getType()) || PodEndpoints.selector(service) == null) {
            return; // no endpoints from this controller (upstream: issue 105986; selector-less services)
        }
        Map<String, String> cached = new HashMap<>();
        if (current != null) {
            cached.put(name, current.getMetadata().getResourceVersion());
        }
        if (writes.stale(key, cached)) {
            throw new IllegalStateException("endpoints cache of " + key + " lags this controller's last write");
        }
        List<Pod> pods = servicePods.podsOf(service);
        // Computed on every sync, even a no-op one, so the tracker's state follows the pods (as upstream).
        Instant triggerTime = triggerTimes.compute(service, pods);
        List<EndpointSubset> subsets = EndpointSubsets.compute(service, pods);
        Map<String, String> serviceLabels = service.getMetadata().getLabels() == null ? Map.of()
                : service.getMetadata().getLabels();
        if (current != null && Objects.equals(current.getSubsets(), subsets)
                && Objects.equals(withoutHeadless(current.getMetadata().getLabels()), serviceLabels)
                && overCapacityMarkedCorrectly(current, subsets)) {
            return;
        }
        Endpoints desired = current == null
                ? new EndpointsBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                        .build()
                : new EndpointsBuilder(current).build();
        Map<String, String> labels = new HashMap<>(serviceLabels);
        if (PodEndpoints.headless(service)) {
            labels.put(HEADLESS, "");
        }
        desired.getMetadata().setLabels(labels);
        Map<String, String> annotations = desired.getMetadata().getAnnotations() == null ? new HashMap<>()
                : new HashMap<>(desired.getMetadata().getAnnotations());
        if (triggerTime != null) {
            annotations.put(TRIGGER_TIME, triggerTime.toString());
        } else {
            annotations.remove(TRIGGER_TIME);
        }
        if (EndpointSubsets.truncate(subsets)) {
            annotations.put(OVER_CAPACITY, "truncated");
        } else {
            annotations.remove(OVER_CAPACITY);
        }
        desired.getMetadata().setAnnotations(annotations);
        desired.setSubsets(subsets);
        write(key, service, current, desired);
    }

    private void write(String key, Service service, Endpoints current, Endpoints desired) {
        String namespace = service.getMetadata().getNamespace();
        try {
            if (current == null) {
                client.endpoints().inNamespace(namespace).resource(desired).create();
                writes.created(key, desired.getMetadata().getName());
            } else {
                client.endpoints().inNamespace(namespace).resource(desired).update();
                writes.updated(key, desired.getMetadata().getName(), current.getMetadata().getResourceVersion());
            }
        } catch (KubernetesClientException e) {
            if (current == null && ApiErrors.namespaceTerminating(e)) {
                return; // creates keep failing until the namespace is gone; nothing to retry
            }
            if (e.getCode() != 409) {
                events.warning(service, current == null ? "FailedToCreateEndpoint" : "FailedToUpdateEndpoint",
                        (current == null ? "Failed to create endpoint for service " : "Failed to update endpoint ")
                                + key + ": " + e.getMessage());
            }
            throw e;
        }
    }

    private void deleteEndpoints(String namespace, String name) {
        try {
            client.endpoints().inNamespace(namespace).withName(name).delete();
        } catch (KubernetesClientException e) {
            if (!ApiErrors.notFound(e)) {
                throw e;
            }
        }
    }

    private static Map<String, String> withoutHeadless(Map<String, String> labels) {
        if (labels == null) {
            return Map.of();
        }
        Map<String, String> copy = new HashMap<>(labels);
        copy.remove(HEADLESS);
        return copy;
    }

    /** Upstream's {@code capacityAnnotationSetCorrectly}: over capacity needs a rewrite; otherwise no mark. */
    private static boolean overCapacityMarkedCorrectly(Endpoints current, List<EndpointSubset> subsets) {
        if (EndpointSubsets.size(subsets) > EndpointSubsets.MAX_ADDRESSES) {
            return false;
        }
        Map<String, String> annotations = current.getMetadata().getAnnotations();
        return annotations == null || !annotations.containsKey(OVER_CAPACITY);
    }

    @Override
    public void close() {
        controller.close();
    }
}
