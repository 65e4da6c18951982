package dev.skiff.apiserver.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.handler.TypeStrategy;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.storage.Backend;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Allocates what a Service holds outside its object: its cluster IP from the service CIDR and its node ports (and
 * health check node port) from the node port range, mirroring upstream's service REST allocators ({@code
 * allocateCreate}, {@code allocateUpdate}, release on delete) and their messages. What a write reserves is undone
 * if the write is not stored; what it gives up is released only once it is. Thread-safe; blocking.
 */
public final class ServiceAllocator {

    /** Storage prefixes of the reservations; no resource lives under {@code /registry/ranges/}. */
    static final String IP_PREFIX = "/registry/ranges/serviceips/";
    static final String PORT_PREFIX = "/registry/ranges/servicenodeports/";

    private final ServiceNetwork network;
    private final Reservations ipReservations;
    private final Reservations portReservations;
    private final RangeAllocator ips;
    private final RangeAllocator ports;

    public ServiceAllocator(ServiceNetwork network, Backend backend, ObjectMapper json, Clock clock,
            RandomGenerator random) {
        this.network = network;
        this.ipReservations = new Reservations(backend, IP_PREFIX, json, clock);
        this.portReservations = new Reservations(backend, PORT_PREFIX, json, clock);
        ServiceCidr cidr = network.clusterIpRange();
        PortRange range = network.nodePorts();
        this.ips = new RangeAllocator(ipReservations, cidr.size(), cidr.staticBand(), cidr::addressAt, random);
        this.ports = new RangeAllocator(portReservations, range.size(), range.staticBand(),
                index -> Integer.toString(range.base() + index), random);
    }

    public ServiceNetwork network() {
        return network;
    }

    Reservations ipReservations() {
        return ipReservations;
    }

    Reservations portReservations() {
        return portReservations;
    }

    /** Reserves and fills in the cluster IP and node ports of a new service; the caller finishes the result. */
    TypeStrategy.Finish allocateCreate(ObjectNode service, boolean dryRun) {
        Transaction tx = new Transaction(Owner.of(service), dryRun);
        try {
            if (ServiceSpec.needsClusterIP(service) && !ServiceSpec.isHeadless(service)) {
                allocateClusterIP(service, tx);
            }
            if (ServiceSpec.needsNodePorts(service)) {
                initNodePorts(service, tx);
            }
            if (ServiceSpec.needsHealthCheck(service)) {
                allocateHealthCheckNodePort(service, tx);
            }
            return tx;
        } catch (RuntimeException e) {
            tx.finish(false);
            throw e;
        }
    }

    /** Reserves what an update newly needs and schedules what it gives up; the caller finishes the result. */
    TypeStrategy.Finish allocateUpdate(ObjectNode previous, ObjectNode service, boolean dryRun) {
        Transaction tx = new Transaction(Owner.of(service), dryRun);
        try {
            boolean wasExternalName = !ServiceSpec.needsClusterIP(previous);
            boolean isExternalName = !ServiceSpec.needsClusterIP(service);
            // A service stored without an address (before allocation existed) gets one like an ExternalName one.
            boolean hadNoAddress = ServiceSpec.orEmpty(ServiceSpec.clusterIPs(previous)).isEmpty();
            if ((wasExternalName || hadNoAddress) && !isExternalName) {
                if (!ServiceSpec.isHeadless(service)) {
                    allocateClusterIP(service, tx);
                }
            } else if (!wasExternalName && isExternalName && !ServiceSpec.isHeadless(previous)) {
                ServiceSpec.orEmpty(ServiceSpec.clusterIPs(previous)).forEach(ip -> tx.releaseIpLater(ip));
            }
            if (ServiceSpec.needsNodePorts(previous) && !ServiceSpec.needsNodePorts(service)) {
                ServiceSpec.nodePorts(previous).forEach(tx::releasePortLater);
            }
            if (ServiceSpec.needsNodePorts(service)) {
                updateNodePorts(previous, service, tx);
            }
            updateHealthCheckNodePort(previous, service, tx);
            return tx;
        } catch (RuntimeException e) {
            tx.finish(false);
            throw e;
        }
    }

    /** Gives back everything a removed service held. */
    void releaseAll(ObjectNode service) {
        Owner owner = Owner.of(service);
        if (ServiceSpec.needsClusterIP(service) && !ServiceSpec.isHeadless(service)) {
            for (String ip : ServiceSpec.orEmpty(ServiceSpec.clusterIPs(service))) {
                ipReservations.release(IpAddresses.canonical(ip), owner);
            }
        }
        for (int port : ServiceSpec.nodePorts(service)) {
            portReservations.release(Integer.toString(port), owner);
        }
        if (ServiceSpec.healthCheckNodePort(service) != 0) {
            portReservations.release(Integer.toString(ServiceSpec.healthCheckNodePort(service)), owner);
        }
    }

    // --- cluster IPs ---------------------------------------------------------------------------------------------

    private void allocateClusterIP(ObjectNode service, Transaction tx) {
        List<String> requested = ServiceSpec.clusterIPs(service);
        String wanted = requested == null || requested.isEmpty() ? "" : requested.get(0);
        String ip;
        if (wanted.isEmpty()) {
            try {
                ip = tx.dryRun ? ips.peekNext() : ips.allocateNext(tx.owner);
            } catch (RangeAllocator.RangeFullException e) {
                throw ApiException.internal("failed to allocate a serviceIP: " + e.getMessage());
            }
            if (!tx.dryRun) {
                tx.reservedIps.add(ip);
            }
        } else {
            ip = IpAddresses.canonical(wanted);
            ServiceCidr cidr = network.clusterIpRange();
            String problem = null;
            if (cidr.indexOf(ip) < 0) {
                problem = "the provided IP (" + ip + ") is not in the valid range. The range of valid IPs is " + cidr;
            } else if (tx.dryRun ? !ips.isFree(ip) : !ips.allocate(ip, tx.owner)) {
                problem = "provided IP is already allocated";
            }
            if (problem != null) {
                throw FieldErrors.single(ServiceSpec.name(service), new FieldErrors().invalid("spec.clusterIPs",
                        GoValues.stringSlice(requested), "failed to allocate IP " + wanted + ": " + problem));
            }
            if (!tx.dryRun) {
                tx.reservedIps.add(ip);
            }
        }
        List<String> all = new ArrayList<>(ServiceSpec.orEmpty(requested));
        if (all.isEmpty()) {
            all.add(ip);
        } else {
            all.set(0, ip);
        }
        ServiceSpec.setClusterIP(service, ip);
        ServiceSpec.setClusterIPs(service, all);
    }

    // --- node ports ----------------------------------------------------------------------------------------------

    /** Upstream's initNodePorts: ports with the same port number (TCP and UDP of one port) share one node port. */
    private void initNodePorts(ObjectNode service, Transaction tx) {
        Map<Integer, Integer> byServicePort = new HashMap<>();
        List<ObjectNode> servicePorts = ServiceSpec.ports(service);
        for (int i = 0; i < servicePorts.size(); i++) {
            ObjectNode port = servicePorts.get(i);
            int nodePort = port.path("nodePort").asInt(0);
            if (nodePort == 0 && !ServiceSpec.allocatesNodePorts(service)) {
                continue;
            }
            int number = port.path("port").asInt();
            Integer assigned = byServicePort.get(number);
            if (assigned == null) {
                int requested = requestedNodePort(number, servicePorts);
                int chosen = requested != 0 ? allocatePort(service, i, requested, tx) : allocateNextPort(tx);
                port.put("nodePort", chosen);
                byServicePort.put(number, chosen);
            } else if (nodePort != assigned) {
                if (nodePort == 0) {
                    port.put("nodePort", assigned);
                } else {
                    allocatePort(service, i, nodePort, tx);
                }
            }
        }
    }

    private static int requestedNodePort(int servicePort, List<ObjectNode> ports) {
        for (ObjectNode port : ports) {
            if (port.path("port").asInt() == servicePort && port.path("nodePort").asInt(0) != 0) {
                return port.path("nodePort").asInt();
            }
        }
        return 0;
    }

    /** Upstream's updateNodePorts: new requested ports reserved, missing ones allocated, dropped ones released. */
    private void updateNodePorts(ObjectNode previous, ObjectNode service, Transaction tx) {
        List<Integer> old = ServiceSpec.nodePorts(previous);
        Set<Integer> taken = new HashSet<>();
        List<ObjectNode> servicePorts = ServiceSpec.ports(service);
        for (int i = 0; i < servicePorts.size(); i++) {
            ObjectNode port = servicePorts.get(i);
            int nodePort = port.path("nodePort").asInt(0);
            if (nodePort == 0 && !ServiceSpec.allocatesNodePorts(service)) {
                continue;
            }
            if (nodePort != 0) {
                if (!old.contains(nodePort) && taken.add(nodePort)) {
                    allocatePort(service, i, nodePort, tx);
                }
            } else {
                port.put("nodePort", allocateNextPort(tx));
            }
        }
        List<Integer> now = ServiceSpec.nodePorts(service);
        for (int port : old) {
            if (!now.contains(port)) {
                tx.releasePortLater(port);
            }
        }
    }

    private void allocateHealthCheckNodePort(ObjectNode service, Transaction tx) {
        int requested = ServiceSpec.healthCheckNodePort(service);
        if (requested != 0) {
            String problem = portProblem(requested, tx);
            if (problem != null) {
                throw ApiException.internal("failed to allocate requested HealthCheck NodePort " + requested + ": "
                        + problem);
            }
        } else {
            ServiceSpec.spec(service).put("healthCheckNodePort", allocateNextPort(tx));
        }
    }

    private void updateHealthCheckNodePort(ObjectNode previous, ObjectNode service, Transaction tx) {
        boolean needed = ServiceSpec.needsHealthCheck(previous);
        boolean needs = ServiceSpec.needsHealthCheck(service);
        if (!needed && needs) {
            allocateHealthCheckNodePort(service, tx);
        } else if (needed && !needs) {
            if (ServiceSpec.healthCheckNodePort(previous) != 0) {
                tx.releasePortLater(ServiceSpec.healthCheckNodePort(previous));
            }
        } else if (needed && ServiceSpec.healthCheckNodePort(previous) != ServiceSpec.healthCheckNodePort(service)) {
            throw FieldErrors.single(ServiceSpec.name(service), new FieldErrors().invalid(
                    "spec.healthCheckNodePort", Integer.toString(ServiceSpec.healthCheckNodePort(service)),
                    "cannot change healthCheckNodePort on loadBalancer service with externalTraffic=Local during "
                            + "update"));
        }
    }

    private int allocatePort(ObjectNode service, int index, int nodePort, Transaction tx) {
        String problem = portProblem(nodePort, tx);
        if (problem != null) {
            throw FieldErrors.single(ServiceSpec.name(service), new FieldErrors().invalid(
                    "spec.ports[" + index + "].nodePort", Integer.toString(nodePort), problem));
        }
        return nodePort;
    }

    /** Reserves a requested port; the allocator's complaint if it cannot. */
    private String portProblem(int nodePort, Transaction tx) {
        PortRange range = network.nodePorts();
        if (!range.contains(nodePort)) {
            return "provided port is not in the valid range. The range of valid ports is " + range;
        }
        String item = Integer.toString(nodePort);
        if (tx.dryRun ? !ports.isFree(item) : !ports.allocate(item, tx.owner)) {
            return "provided port is already allocated";
        }
        if (!tx.dryRun) {
            tx.reservedPorts.add(item);
        }
        return null;
    }

    private int allocateNextPort(Transaction tx) {
        String item;
        try {
            item = tx.dryRun ? ports.peekNext() : ports.allocateNext(tx.owner);
        } catch (RangeAllocator.RangeFullException e) {
            throw ApiException.internal("failed to allocate a nodePort: " + e.getMessage());
        }
        if (!tx.dryRun) {
            tx.reservedPorts.add(item);
        }
        return Integer.parseInt(item);
    }

    /** What one write reserved and what it gives up once stored (upstream's metaTransaction). */
    private final class Transaction implements TypeStrategy.Finish {

        private final Owner owner;
        private final boolean dryRun;
        private final List<String> reservedIps = new ArrayList<>();
        private final List<String> reservedPorts = new ArrayList<>();
        private final List<String> laterIps = new ArrayList<>();
        private final List<String> laterPorts = new ArrayList<>();
        private boolean finished;

        Transaction(Owner owner, boolean dryRun) {
            this.owner = owner;
            this.dryRun = dryRun;
        }

        void releaseIpLater(String ip) {
            laterIps.add(IpAddresses.canonical(ip));
        }

        void releasePortLater(int port) {
            laterPorts.add(Integer.toString(port));
        }

        @Override
        public synchronized void finish(boolean stored) {
            if (finished || dryRun) {
                finished = true;
                return;
            }
            finished = true;
            if (stored) {
                laterIps.forEach(ip -> ipReservations.release(ip, owner));
                laterPorts.forEach(port -> portReservations.release(port, owner));
            } else {
                reservedIps.forEach(ip -> ipReservations.release(ip, owner));
                reservedPorts.forEach(port -> portReservations.release(port, owner));
            }
        }
    }
}
