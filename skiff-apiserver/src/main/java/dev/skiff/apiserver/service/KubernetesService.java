package dev.skiff.apiserver.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.resource.ResourceCatalog;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kubernetes} service in {@code default}, which every cluster has so that pods reach the API at the
 * first address of the service CIDR: created at bootstrap with port 443 to the API server's port (the port is
 * corrected on a later start), with an Endpoints object and an EndpointSlice naming the server's address when it
 * has one pods could reach (never a loopback address, which upstream refuses in endpoints). As kube-apiserver's
 * bootstrap controller and endpoint reconciler do, but once at start. Blocking.
 */
public final class KubernetesService {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesService.class);
    private static final String NAMESPACE = "default";
    private static final String NAME = "kubernetes";

    private KubernetesService() {
    }

    /** Creates or corrects the service and its endpoints for an API server serving on {@code port}. */
    public static void ensure(ObjectStore store, ResourceCatalog catalog, ServiceAllocator allocator,
            ObjectMapper json, String bindHost, int port) {
        ResourceType services = catalog.find("", "v1", "services").orElseThrow();
        ensureService(store, services, allocator, json, port);
        Optional<String> address = advertiseAddress(allocator.network(), bindHost);
        if (address.isEmpty()) {
            LOG.debug("no reachable address to publish for the kubernetes service (bound to {})", bindHost);
            return;
        }
        ResourceType endpoints = catalog.find("", "v1", "endpoints").orElseThrow();
        ObjectNode subset = json.createObjectNode();
        subset.putArray("addresses").addObject().put("ip", address.get());
        subset.putArray("ports").addObject().put("name", "https").put("port", port).put("protocol", "TCP");
        ObjectNode want = json.createObjectNode();
        want.put("apiVersion", "v1").put("kind", "Endpoints");
        want.putObject("metadata").put("name", NAME).put("namespace", NAMESPACE).putObject("labels")
                .put("endpointslice.kubernetes.io/skip-mirror", "true");
        want.putArray("subsets").add(subset);
        upsert(store, endpoints, want, "subsets");
        catalog.find("discovery.k8s.io", "v1", "endpointslices").ifPresent(slices -> {
            ObjectNode slice = json.createObjectNode();
            slice.put("apiVersion", "discovery.k8s.io/v1").put("kind", "EndpointSlice");
            slice.putObject("metadata").put("name", NAME).put("namespace", NAMESPACE).putObject("labels")
                    .put("kubernetes.io/service-name", NAME);
            slice.put("addressType", IpAddresses.family(IpAddresses.parse(address.get()).orElseThrow()));
            ObjectNode endpoint = slice.putArray("endpoints").addObject();
            endpoint.putArray("addresses").add(address.get());
            endpoint.putObject("conditions").put("ready", true);
            slice.putArray("ports").addObject().put("name", "https").put("port", port).put("protocol", "TCP");
            upsert(store, slices, slice, "endpoints", "ports", "addressType");
        });
    }

    private static void ensureService(ObjectStore store, ResourceType services, ServiceAllocator allocator,
            ObjectMapper json, int port) {
        ObjectNode current;
        try {
            current = store.get(services, NAMESPACE, NAME);
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
            current = null;
        }
        if (current != null) {
            ObjectNode first = ServiceSpec.ports(current).stream().findFirst().orElse(null);
            if (first != null && first.path("targetPort").asInt(0) != port) {
                store.update(services, NAMESPACE, NAME, 0, svc -> {
                    ServiceSpec.ports(svc).get(0).put("targetPort", port);
                    return svc;
                });
            }
            return;
        }
        ServiceCidr cidr = allocator.network().clusterIpRange();
        String ip = cidr.addressAt(0);
        ObjectNode service = json.createObjectNode();
        service.put("apiVersion", "v1").put("kind", "Service");
        ObjectNode metadata = service.putObject("metadata").put("name", NAME).put("namespace", NAMESPACE);
        metadata.putObject("labels").put("component", "apiserver").put("provider", "kubernetes");
        ObjectNode spec = service.putObject("spec");
        spec.put("type", "ClusterIP").put("sessionAffinity", "None").put("internalTrafficPolicy", "Cluster")
                .put("ipFamilyPolicy", "SingleStack");
        spec.putArray("ipFamilies").add(cidr.family());
        ArrayNode ports = spec.putArray("ports");
        ports.addObject().put("name", "https").put("port", 443).put("protocol", "TCP").put("targetPort", port);
        service.putObject("status").putObject("loadBalancer");
        Owner owner = Owner.of(service);
        Optional<Reservations.Reservation> held = allocator.ipReservations().get(ip);
        if (held.isPresent() && !held.get().owner().equals(owner)) {
            LOG.warn("the first service IP {} is held by {}; the kubernetes service gets another", ip,
                    held.get().owner());
        } else {
            // Requested explicitly, so it is the .1 (also when a previous start reserved it and then stopped).
            spec.put("clusterIP", ip).putArray("clusterIPs").add(ip);
            if (held.isPresent()) {
                allocator.ipReservations().release(ip, owner);
            }
        }
        ServicePreparation.normalizeClusterIPs(service, null);
        var finish = allocator.allocateCreate(service, false);
        boolean stored = false;
        try {
            store.create(services, service);
            stored = true;
        } finally {
            finish.finish(stored);
        }
    }

    /** Creates {@code want}, or makes the stored object's {@code fields} equal to it. */
    private static void upsert(ObjectStore store, ResourceType type, ObjectNode want, String... fields) {
        String name = want.path("metadata").path("name").asText();
        ObjectNode current;
        try {
            current = store.get(type, NAMESPACE, name);
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
            store.create(type, want);
            return;
        }
        boolean same = true;
        for (String field : fields) {
            same &= want.path(field).equals(current.path(field));
        }
        if (!same) {
            store.update(type, NAMESPACE, name, 0, object -> {
                for (String field : fields) {
                    object.set(field, want.get(field).deepCopy());
                }
                return object;
            });
        }
    }

    /**
     * Where pods reach this server: the configured advertise address, else the bind address, else (bound to every
     * interface) the host's first non-loopback address of the service family, as kube-apiserver's
     * {@code --advertise-address} defaults. Loopback addresses are not reachable from pods: none then.
     */
    static Optional<String> advertiseAddress(ServiceNetwork network, String bindHost) {
        if (network.advertiseAddress() != null) {
            return Optional.of(IpAddresses.canonical(network.advertiseAddress()));
        }
        Optional<byte[]> bound = IpAddresses.parse(bindHost);
        if (bound.isEmpty()) {
            return Optional.empty();
        }
        try {
            InetAddress address = InetAddress.getByAddress(bound.get());
            if (address.isLoopbackAddress()) {
                return Optional.empty();
            }
            if (!address.isAnyLocalAddress()) {
                return Optional.of(IpAddresses.format(bound.get()));
            }
            boolean v4 = network.clusterIpRange().family().equals("IPv4");
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || nic.isVirtual()) {
                    continue;
                }
                for (InetAddress candidate : Collections.list(nic.getInetAddresses())) {
                    if ((candidate instanceof Inet4Address) == v4 && !candidate.isLinkLocalAddress()
                            && !candidate.isLoopbackAddress()) {
                        return Optional.of(IpAddresses.format(candidate.getAddress()));
                    }
                }
            }
        } catch (java.net.UnknownHostException | SocketException e) {
            LOG.debug("cannot look at the network interfaces: {}", e.getMessage());
        }
        return Optional.empty();
    }
}
