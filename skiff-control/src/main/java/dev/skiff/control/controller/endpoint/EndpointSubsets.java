package dev.skiff.control.controller.endpoint;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The subsets of a Service's core/v1 Endpoints object, as upstream's endpoints controller {@code syncService}
 * computes them: one address per selected pod (of the service's first IP family), ready when the pod is Ready or
 * the service publishes not-ready addresses, else under {@code notReadyAddresses}; one port per service port that
 * resolves on the pod; then repacked (upstream's {@code RepackSubsets}) so that ports with the same addresses share
 * one subset. Output is sorted (addresses by IP, ports by name and number), so equal inputs give equal objects.
 * Pure.
 */
public final class EndpointSubsets {

    /** Upstream's {@code maxCapacity}: larger Endpoints objects are truncated (EndpointSlices carry the rest). */
    public static final int MAX_ADDRESSES = 1000;

    private static final Comparator<EndpointPort> PORT_ORDER = Comparator
            .comparing((EndpointPort p) -> p.getName() == null ? "" : p.getName())
            .thenComparing(p -> p.getPort() == null ? 0 : p.getPort())
            .thenComparing(p -> p.getProtocol() == null ? "" : p.getProtocol());

    private EndpointSubsets() {
    }

    /** The subsets for the service over the candidate pods (already selected by the service's selector). */
    public static List<EndpointSubset> compute(Service service, List<Pod> pods) {
        boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        String family = primaryFamily(service);
        List<ServicePort> servicePorts = service.getSpec().getPorts() == null ? List.of()
                : service.getSpec().getPorts();
        // port (null: the headless service without ports) -> address key -> (address, ready)
        Map<EndpointPort, Map<String, Entry>> byPort = new LinkedHashMap<>();
        Map<String, Entry> portless = new TreeMap<>();
        for (Pod pod : pods) {
            if (!PodEndpoints.shouldBeInEndpoints(pod, publishNotReady)) {
                continue;
            }
            String ip = PodEndpoints.ipOfFamily(pod, family);
            if (ip == null) {
                continue; // a pod without an address of the service's family cannot serve it
            }
            EndpointAddress address = address(service, pod, ip);
            Entry entry = new Entry(address, publishNotReady || PodEndpoints.isReady(pod));
            String key = ip + "/" + pod.getMetadata().getUid();
            if (servicePorts.isEmpty()) {
                if (PodEndpoints.headless(service)) {
                    portless.put(key, entry);
                }
                continue;
            }
            for (ServicePort servicePort : servicePorts) {
                OptionalInt number = PodEndpoints.findPort(pod, servicePort);
                if (number.isEmpty()) {
                    continue;
                }
                EndpointPort port = new EndpointPortBuilder().withName(emptyToNull(servicePort.getName()))
                        .withPort(number.getAsInt()).withProtocol(PodEndpoints.protocol(servicePort.getProtocol()))
                        .withAppProtocol(servicePort.getAppProtocol()).build();
                byPort.computeIfAbsent(port, p -> new TreeMap<>()).put(key, entry);
            }
        }
        List<EndpointSubset> subsets = new ArrayList<>();
        if (!portless.isEmpty()) {
            subsets.add(subset(portless, List.of()));
        }
        // Ports with identical (address, readiness) sets share one subset.
        Map<String, List<EndpointPort>> portsBySignature = new LinkedHashMap<>();
        Map<String, Map<String, Entry>> addressesBySignature = new LinkedHashMap<>();
        for (Map.Entry<EndpointPort, Map<String, Entry>> e : byPort.entrySet()) {
            TreeSet<String> signature = new TreeSet<>();
            e.getValue().forEach((key, entry) -> signature.add(key + "=" + entry.ready()));
            String sig = String.join(",", signature);
            portsBySignature.computeIfAbsent(sig, s -> new ArrayList<>()).add(e.getKey());
            addressesBySignature.putIfAbsent(sig, e.getValue());
        }
        for (Map.Entry<String, List<EndpointPort>> e : portsBySignature.entrySet()) {
            List<EndpointPort> ports = new ArrayList<>(e.getValue());
            ports.sort(PORT_ORDER);
            subsets.add(subset(addressesBySignature.get(e.getKey()), ports));
        }
        subsets.sort(Comparator.comparing(EndpointSubsets::firstPort, Comparator.nullsFirst(PORT_ORDER)));
        return subsets;
    }

    /** The total number of addresses (ready and not ready) over the subsets. */
    public static int size(List<EndpointSubset> subsets) {
        int n = 0;
        for (EndpointSubset subset : subsets) {
            n += subset.getAddresses() == null ? 0 : subset.getAddresses().size();
            n += subset.getNotReadyAddresses() == null ? 0 : subset.getNotReadyAddresses().size();
        }
        return n;
    }

    /**
     * Upstream's {@code truncateEndpoints}, simplified: keeps at most {@link #MAX_ADDRESSES} addresses, ready ones
     * first, taking from each subset in order. Answers whether anything was dropped.
     */
    public static boolean truncate(List<EndpointSubset> subsets) {
        if (size(subsets) <= MAX_ADDRESSES) {
            return false;
        }
        int room = MAX_ADDRESSES;
        for (EndpointSubset subset : subsets) {
            List<EndpointAddress> ready = subset.getAddresses() == null ? List.of() : subset.getAddresses();
            List<EndpointAddress> kept = new ArrayList<>(ready.subList(0, Math.min(room, ready.size())));
            room -= kept.size();
            subset.setAddresses(kept);
        }
        for (EndpointSubset subset : subsets) {
            List<EndpointAddress> notReady = subset.getNotReadyAddresses() == null ? List.of()
                    : subset.getNotReadyAddresses();
            List<EndpointAddress> kept = new ArrayList<>(notReady.subList(0, Math.min(room, notReady.size())));
            room -= kept.size();
            subset.setNotReadyAddresses(kept);
        }
        return true;
    }

    /** The family whose addresses the Endpoints object lists: the service's first, else its cluster IP's. */
    static String primaryFamily(Service service) {
        List<String> families = service.getSpec().getIpFamilies();
        if (families != null && !families.isEmpty()) {
            return families.get(0);
        }
        String clusterIp = service.getSpec().getClusterIP();
        return clusterIp != null && PodEndpoints.isIpv6(clusterIp) ? "IPv6" : "IPv4";
    }

    private static EndpointAddress address(Service service, Pod pod, String ip) {
        EndpointAddressBuilder address = new EndpointAddressBuilder().withIp(ip)
                .withTargetRef(new ObjectReferenceBuilder().withKind("Pod")
                        .withNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                        .withUid(pod.getMetadata().getUid()).build());
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (node != null && !node.isEmpty()) {
            address.withNodeName(node);
        }
        if (PodEndpoints.shouldSetHostname(pod, service)) {
            address.withHostname(pod.getSpec().getHostname());
        }
        return address.build();
    }

    private static EndpointSubset subset(Map<String, Entry> addresses, List<EndpointPort> ports) {
        List<EndpointAddress> ready = new ArrayList<>();
        List<EndpointAddress> notReady = new ArrayList<>();
        addresses.values().forEach(e -> (e.ready() ? ready : notReady).add(e.address()));
        EndpointSubsetBuilder subset = new EndpointSubsetBuilder();
        if (!ready.isEmpty()) {
            subset.withAddresses(ready);
        }
        if (!notReady.isEmpty()) {
            subset.withNotReadyAddresses(notReady);
        }
        if (!ports.isEmpty()) {
            subset.withPorts(ports);
        }
        return subset.build();
    }

    private static EndpointPort firstPort(EndpointSubset subset) {
        return subset.getPorts() == null || subset.getPorts().isEmpty() ? null : subset.getPorts().get(0);
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private record Entry(EndpointAddress address, boolean ready) {
    }
}
