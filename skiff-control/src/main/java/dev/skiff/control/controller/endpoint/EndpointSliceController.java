package dev.skiff.control.controller.endpoint;

import dev.skiff.control.controller.ApiErrors;
import dev.skiff.control.controller.Controller;
import dev.skiff.control.controller.Keys;
import dev.skiff.control.controller.Reconciler;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The EndpointSlice controller, as upstream's {@code pkg/controller/endpointslice}: for every Service with a
 * selector (and not of type ExternalName) it keeps discovery.k8s.io/v1 EndpointSlices named
 * {@code <service>-<random>}, one address type each, at most {@value SlicePlanner#MAX_ENDPOINTS_PER_SLICE}
 * endpoints each ({@link SliceEndpoints}, {@link SlicePlanner}), labelled {@value #SERVICE_NAME} and
 * {@value #MANAGED_BY}={@value #CONTROLLER_NAME} plus the service's labels, owned by the service (controller
 * reference) and annotated with the last-change trigger time. Writes go creates first, then updates, then deletes,
 * so an endpoint moving between slices is never absent. When the service is gone its slices are deleted here
 * (upstream leaves that to the garbage collector, which in Skiff does not follow Service owners yet).
 *
 * <p>Thread-safe: its {@link Controller} never reconciles one service on two threads. Reconciles block on API calls.
 */
public final class EndpointSliceController implements Reconciler, AutoCloseable {

    public static final String SERVICE_NAME = "kubernetes.io/service-name";
    public static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    public static final String CONTROLLER_NAME = "endpointslice-controller.k8s.io";
    static final String ZONE = "topology.kubernetes.io/zone";

    private final KubernetesClient client;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final SharedIndexInformer<Node> nodes;
    private final ServicePods servicePods;
    private final TriggerTimes triggerTimes = new TriggerTimes();
    private final WriteTracker writes;
    private final Controller controller;

    /**
     * @param slices an informer on EndpointSlices labelled {@value #MANAGED_BY}={@value #CONTROLLER_NAME}
     * @param nodes  for the endpoints' zones
     */
    public EndpointSliceController(KubernetesClient client, Clock clock, SharedIndexInformer<Service> services,
                                   SharedIndexInformer<Pod> pods, SharedIndexInformer<EndpointSlice> slices,
                                   SharedIndexInformer<Node> nodes, int workers, ScheduledExecutorService executor) {
        this.client = client;
        this.services = services;
        this.slices = slices;
        this.nodes = nodes;
        this.servicePods = new ServicePods(services, pods);
        this.writes = new WriteTracker(clock);
        this.controller = new Controller("endpointslice", this, workers, executor);
        controller.watch(services);
        servicePods.wakeServicesOnPodEvents(controller);
        // A managed slice changed or deleted by someone else is put back (upstream's onEndpointSlice* handlers).
        slices.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(EndpointSlice slice) {
                enqueueService(slice);
            }

            @Override
            public void onUpdate(EndpointSlice before, EndpointSlice after) {
                enqueueService(after);
            }

            @Override
            public void onDelete(EndpointSlice slice, boolean unknown) {
                enqueueService(slice);
            }
        });
    }

    public Controller controller() {
        return controller;
    }

    private void enqueueService(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        String service = labels == null ? null : labels.get(SERVICE_NAME);
        if (service != null && !service.isEmpty()) {
            controller.enqueue(Keys.of(slice.getMetadata().getNamespace(), service));
        }
    }

    @Override
    public void reconcile(String key) {
        String namespace = Keys.namespace(key);
        List<EndpointSlice> existing = new ArrayList<>();
        Map<String, String> cached = new HashMap<>();
        for (EndpointSlice slice : slices.getIndexer().byIndex("namespace", namespace)) {
            Map<String, String> labels = slice.getMetadata().getLabels();
            if (labels != null && Keys.name(key).equals(labels.get(SERVICE_NAME))
                    && CONTROLLER_NAME.equals(labels.get(MANAGED_BY))) {
                existing.add(slice);
                cached.put(slice.getMetadata().getName(), slice.getMetadata().getResourceVersion());
            }
        }
        if (writes.stale(key, cached)) {
            throw new IllegalStateException("endpointslice cache of " + key + " lags this controller's last write");
        }
        Service service = services.getIndexer().getByKey(key);
        if (service == null) {
            triggerTimes.forget(key);
            writes.forget(key);
            existing.forEach(slice -> delete(key, slice));
            return;
        }
        if ("ExternalName".equals(service.getSpec().getType()) || PodEndpoints.selector(service) == null) {
            return; // such services get no endpoints from this controller, as upstream
        }
        List<Pod> pods = servicePods.podsOf(service);
        Instant triggerTime = triggerTimes.compute(service, pods);
        Map<String, Map<List<EndpointPort>, List<Endpoint>>> desired = SliceEndpoints.compute(service, pods,
                this::zoneOf);
        List<EndpointSlice> toDelete = new ArrayList<>();
        Map<String, List<EndpointSlice>> byType = new HashMap<>();
        for (EndpointSlice slice : existing) {
            if (!ownedBy(slice, service) || !desired.containsKey(slice.getAddressType())) {
                toDelete.add(slice); // left by a deleted same-named service, or of an address type no longer used
            } else {
                byType.computeIfAbsent(slice.getAddressType(), t -> new ArrayList<>()).add(slice);
            }
        }
        Map<String, String> labels = labels(service);
        List<EndpointSlice> toCreate = new ArrayList<>();
        List<EndpointSlice> toUpdate = new ArrayList<>();
        for (Map.Entry<String, Map<List<EndpointPort>, List<Endpoint>>> type : desired.entrySet()) {
            List<EndpointSlice> current = byType.getOrDefault(type.getKey(), List.of());
            SlicePlanner.Plan plan = SlicePlanner.plan(type.getValue(), current,
                    SlicePlanner.MAX_ENDPOINTS_PER_SLICE);
            Map<String, EndpointSlice> byName = new HashMap<>();
            current.forEach(s -> byName.put(s.getMetadata().getName(), s));
            for (SlicePlanner.Content content : plan.create()) {
                toCreate.add(newSlice(service, type.getKey(), content, labels, triggerTime));
            }
            plan.update().forEach((name, content) ->
                    toUpdate.add(rewrite(byName.get(name), content, labels, triggerTime)));
            for (String name : plan.keep()) {
                EndpointSlice slice = byName.get(name);
                if (!Objects.equals(slice.getMetadata().getLabels(), labels)) {
                    // Only the service's labels changed: relabel, keep the trigger time as it was.
                    toUpdate.add(new EndpointSliceBuilder(slice).editMetadata().withLabels(labels).endMetadata()
                            .build());
                }
            }
            plan.delete().forEach(name -> toDelete.add(byName.get(name)));
        }
        for (EndpointSlice slice : toCreate) {
            try {
                EndpointSlice created = client.discovery().v1().endpointSlices().inNamespace(namespace)
                        .resource(slice).create();
                writes.created(key, created.getMetadata().getName());
            } catch (KubernetesClientException e) {
                if (ApiErrors.namespaceTerminating(e)) {
                    return; // the namespace is going away with everything in it
                }
                throw e;
            }
        }
        for (EndpointSlice slice : toUpdate) {
            String previous = slice.getMetadata().getResourceVersion();
            client.discovery().v1().endpointSlices().inNamespace(namespace).resource(slice).update();
            writes.updated(key, slice.getMetadata().getName(), previous);
        }
        toDelete.forEach(slice -> delete(key, slice));
    }

    private void delete(String key, EndpointSlice slice) {
        try {
            client.discovery().v1().endpointSlices().inNamespace(slice.getMetadata().getNamespace())
                    .withName(slice.getMetadata().getName()).delete();
        } catch (KubernetesClientException e) {
            if (!ApiErrors.notFound(e)) {
                throw e;
            }
        }
        writes.deleted(key, slice.getMetadata().getName());
    }

    private String zoneOf(String nodeName) {
        Node node = nodes.getIndexer().getByKey(nodeName);
        return node == null || node.getMetadata().getLabels() == null ? null
                : node.getMetadata().getLabels().get(ZONE);
    }

    /** Upstream's {@code setEndpointSliceLabels}: the service's labels, then the reserved ones set by us. */
    static Map<String, String> labels(Service service) {
        Map<String, String> labels = new HashMap<>();
        if (service.getMetadata().getLabels() != null) {
            service.getMetadata().getLabels().forEach((k, v) -> {
                if (!k.equals(SERVICE_NAME) && !k.equals(MANAGED_BY) && !k.equals(EndpointsController.HEADLESS)) {
                    labels.put(k, v);
                }
            });
        }
        if (PodEndpoints.headless(service)) {
            labels.put(EndpointsController.HEADLESS, "");
        }
        labels.put(SERVICE_NAME, service.getMetadata().getName());
        labels.put(MANAGED_BY, CONTROLLER_NAME);
        return labels;
    }

    private static boolean ownedBy(EndpointSlice slice, Service service) {
        List<OwnerReference> refs = slice.getMetadata().getOwnerReferences();
        if (refs == null) {
            return false;
        }
        for (OwnerReference ref : refs) {
            if ("Service".equals(ref.getKind()) && "v1".equals(ref.getApiVersion())
                    && Objects.equals(ref.getUid(), service.getMetadata().getUid())) {
                return true;
            }
        }
        return false;
    }

    private static EndpointSlice newSlice(Service service, String addressType, SlicePlanner.Content content,
                                          Map<String, String> labels, Instant triggerTime) {
        EndpointSlice slice = new EndpointSliceBuilder()
                .withNewMetadata()
                // Upstream's getEndpointSlicePrefix: "<service>-" and a random suffix from the API server.
                .withGenerateName(prefix(service.getMetadata().getName()))
                .withNamespace(service.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Service")
                        .withName(service.getMetadata().getName()).withUid(service.getMetadata().getUid())
                        .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withAddressType(addressType)
                .withPorts(content.ports())
                .withEndpoints(content.endpoints())
                .build();
        annotate(slice, triggerTime);
        return slice;
    }

    private static EndpointSlice rewrite(EndpointSlice slice, SlicePlanner.Content content,
                                         Map<String, String> labels, Instant triggerTime) {
        EndpointSlice updated = new EndpointSliceBuilder(slice).editMetadata().withLabels(labels).endMetadata()
                .withPorts(content.ports()).withEndpoints(content.endpoints()).build();
        annotate(updated, triggerTime);
        return updated;
    }

    /** Upstream's {@code addTriggerTimeAnnotation}: set when there is a trigger time, removed otherwise. */
    private static void annotate(EndpointSlice slice, Instant triggerTime) {
        Map<String, String> annotations = slice.getMetadata().getAnnotations() == null ? new HashMap<>()
                : new HashMap<>(slice.getMetadata().getAnnotations());
        if (triggerTime != null) {
            annotations.put(EndpointsController.TRIGGER_TIME, triggerTime.toString());
        } else {
            annotations.remove(EndpointsController.TRIGGER_TIME);
        }
        slice.getMetadata().setAnnotations(annotations);
    }

    /** The generateName prefix {@code <service>-} (a service name, at most 63 characters, always leaves room). */
    static String prefix(String serviceName) {
        return serviceName + "-";
    }

    @Override
    public void close() {
        controller.close();
    }
}
