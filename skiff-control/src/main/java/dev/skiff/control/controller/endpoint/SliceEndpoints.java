package dev.skiff.control.controller.endpoint;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

/**
 * The desired content of a Service's EndpointSlices, as upstream's {@code podToEndpoint}/{@code getEndpointPorts}:
 * per address type, the endpoints grouped by their resolved port list (a named targetPort may resolve to different
 * numbers on different pods, and one slice carries one port list). Terminating pods are included with
 * {@code terminating: true}; {@code ready} is {@code serving && !terminating} unless the service publishes
 * not-ready addresses. Pure.
 */
public final class SliceEndpoints {

    private static final Comparator<EndpointPort> PORT_ORDER = Comparator
            .comparing((EndpointPort p) -> p.getName() == null ? "" : p.getName())
            .thenComparing(p -> p.getPort() == null ? 0 : p.getPort())
            .thenComparing(p -> p.getProtocol() == null ? "" : p.getProtocol());

    private SliceEndpoints() {
    }

    /**
     * The desired endpoints: address type ({@code IPv4}/{@code IPv6}) to port list to endpoints, pods in name
     * order. Every address type the service uses has an entry, possibly empty.
     *
     * @param zoneOfNode a node's {@code topology.kubernetes.io/zone}, or null when unknown
     */
    public static Map<String, Map<List<EndpointPort>, List<Endpoint>>> compute(Service service, List<Pod> pods,
            Function<String, String> zoneOfNode) {
        Map<String, Map<List<EndpointPort>, List<Endpoint>>> result = new LinkedHashMap<>();
        List<Pod> sorted = new ArrayList<>(pods);
        sorted.sort(Comparator.comparing(p -> p.getMetadata().getName()));
        for (String addressType : addressTypes(service)) {
            Map<List<EndpointPort>, List<Endpoint>> byPorts = new LinkedHashMap<>();
            result.put(addressType, byPorts);
            for (Pod pod : sorted) {
                if (!PodEndpoints.shouldBeInEndpoints(pod, true)) {
                    continue;
                }
                String ip = PodEndpoints.ipOfFamily(pod, addressType);
                if (ip == null) {
                    continue;
                }
                byPorts.computeIfAbsent(ports(service, pod), p -> new ArrayList<>())
                        .add(endpoint(service, pod, ip, zoneOfNode));
            }
        }
        return result;
    }

    /** Upstream's {@code getAddressTypesForService}: the service's IP families, else guessed from its cluster IP. */
    static Set<String> addressTypes(Service service) {
        Set<String> types = new LinkedHashSet<>();
        List<String> families = service.getSpec().getIpFamilies();
        if (families != null) {
            for (String family : families) {
                if ("IPv4".equals(family) || "IPv6".equals(family)) {
                    types.add(family);
                }
            }
        }
        if (!types.isEmpty()) {
            return types;
        }
        if (!PodEndpoints.headless(service)) {
            types.add(PodEndpoints.isIpv6(service.getSpec().getClusterIP()) ? "IPv6" : "IPv4");
            return types;
        }
        types.add("IPv4");
        types.add("IPv6");
        return types;
    }

    /** The service's ports as resolved on this pod, in a canonical order (it is also the slice grouping key). */
    static List<EndpointPort> ports(Service service, Pod pod) {
        List<EndpointPort> ports = new ArrayList<>();
        if (service.getSpec().getPorts() == null) {
            return ports;
        }
        for (ServicePort servicePort : service.getSpec().getPorts()) {
            OptionalInt number = PodEndpoints.findPort(pod, servicePort);
            if (number.isEmpty()) {
                continue;
            }
            ports.add(new EndpointPortBuilder()
                    .withName(servicePort.getName() == null ? "" : servicePort.getName())
                    .withPort(number.getAsInt()).withProtocol(PodEndpoints.protocol(servicePort.getProtocol()))
                    .withAppProtocol(servicePort.getAppProtocol()).build());
        }
        ports.sort(PORT_ORDER);
        return List.copyOf(ports);
    }

    /** A copy of the ports in the canonical order, to compare a stored slice's ports with desired ones. */
    static List<EndpointPort> canonical(List<EndpointPort> ports) {
        List<EndpointPort> copy = new ArrayList<>(ports == null ? List.of() : ports);
        copy.sort(PORT_ORDER);
        return List.copyOf(copy);
    }

    private static Endpoint endpoint(Service service, Pod pod, String ip, Function<String, String> zoneOfNode) {
        boolean serving = PodEndpoints.isReady(pod);
        boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
        boolean ready = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses())
                || (serving && !terminating);
        EndpointBuilder endpoint = new EndpointBuilder().withAddresses(ip)
                .withNewConditions().withReady(ready).withServing(serving).withTerminating(terminating)
                .endConditions()
                .withTargetRef(new ObjectReferenceBuilder().withKind("Pod")
                        .withNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                        .withUid(pod.getMetadata().getUid()).build());
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (node != null && !node.isEmpty()) {
            endpoint.withNodeName(node);
            String zone = zoneOfNode.apply(node);
            if (zone != null && !zone.isEmpty()) {
                endpoint.withZone(zone);
            }
        }
        if (PodEndpoints.shouldSetHostname(pod, service)) {
            endpoint.withHostname(pod.getSpec().getHostname());
        }
        return endpoint.build();
    }
}
