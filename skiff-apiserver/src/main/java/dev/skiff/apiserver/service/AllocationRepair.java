package dev.skiff.apiserver.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.resource.ResourceType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the reservations consistent with the stored services, like upstream's service IP and node port repair
 * controllers. Storage has no multi-key transactions, so a server that stops between reserving and storing a
 * service (or between removing one and releasing its values) leaves a reservation no service holds; and services
 * stored before reservations existed hold values without one. A pass reserves what stored services hold and
 * releases what none holds, but only reservations older than a grace period: a younger one may belong to a create
 * still under way on this or another server. Thread-safe (passes may run concurrently; removals are guarded by the
 * reservation's revision); blocking.
 */
public final class AllocationRepair {

    private static final Logger LOG = LoggerFactory.getLogger(AllocationRepair.class);

    /** Longer than any create takes between reserving and storing. */
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(2);

    /** What one pass did. */
    public record Result(int reserved, int released) {
    }

    private final ObjectStore store;
    private final ResourceType services;
    private final ServiceAllocator allocator;
    private final Clock clock;
    private final Duration grace;

    public AllocationRepair(ObjectStore store, ResourceType services, ServiceAllocator allocator, Clock clock,
            Duration grace) {
        this.store = store;
        this.services = services;
        this.allocator = allocator;
        this.clock = clock;
        this.grace = grace;
    }

    /** One pass over every service and reservation. */
    public Result run() {
        Map<String, Owner> ipHolders = new HashMap<>();
        Map<String, Owner> portHolders = new HashMap<>();
        ServiceCidr cidr = allocator.network().clusterIpRange();
        PortRange range = allocator.network().nodePorts();
        // Services first: a reservation made after this list is young, so the pass below leaves it alone.
        for (ObjectNode service : store.list(services, "", 0, null, 0, o -> true).items()) {
            Owner owner = Owner.of(service);
            if (ServiceSpec.needsClusterIP(service) && !ServiceSpec.isHeadless(service)) {
                for (String ip : ServiceSpec.orEmpty(ServiceSpec.clusterIPs(service))) {
                    String canonical = IpAddresses.canonical(ip);
                    if (cidr.indexOf(canonical) >= 0) {
                        hold(ipHolders, canonical, owner, "cluster IP");
                    } else {
                        LOG.warn("the cluster IP {} of service {} is not within the service CIDR {}", ip, owner, cidr);
                    }
                }
            }
            List<Integer> ports = new java.util.ArrayList<>(ServiceSpec.nodePorts(service));
            if (ServiceSpec.healthCheckNodePort(service) != 0) {
                ports.add(ServiceSpec.healthCheckNodePort(service));
            }
            for (int port : ports) {
                if (range.contains(port)) {
                    portHolders.putIfAbsent(Integer.toString(port), owner);
                }
            }
        }
        int reserved = reserveHeld(allocator.ipReservations(), ipHolders)
                + reserveHeld(allocator.portReservations(), portHolders);
        int released = releaseUnheld(allocator.ipReservations(), ipHolders)
                + releaseUnheld(allocator.portReservations(), portHolders);
        if (reserved + released > 0) {
            LOG.info("service allocation repair: {} reservations restored, {} leaked ones released", reserved,
                    released);
        }
        return new Result(reserved, released);
    }

    private static void hold(Map<String, Owner> holders, String item, Owner owner, String what) {
        Owner other = holders.putIfAbsent(item, owner);
        if (other != null && !other.equals(owner)) {
            LOG.warn("the {} {} is held by both service {} and service {}", what, item, other, owner);
        }
    }

    private static int reserveHeld(Reservations reservations, Map<String, Owner> holders) {
        int count = 0;
        for (Map.Entry<String, Owner> held : holders.entrySet()) {
            if (reservations.get(held.getKey()).isEmpty() && reservations.reserve(held.getKey(), held.getValue())) {
                count++;
            }
        }
        return count;
    }

    private int releaseUnheld(Reservations reservations, Map<String, Owner> holders) {
        Instant cutoff = Instant.now(clock).minus(grace);
        int count = 0;
        for (Reservations.Reservation reservation : reservations.list()) {
            Owner holder = holders.get(reservation.item());
            if (holder != null && holder.equals(reservation.owner())) {
                continue;
            }
            if (reservation.reservedAt().isBefore(cutoff) && reservations.remove(reservation)) {
                count++;
                if (holder != null) {
                    // Held by a service other than the one that reserved it: hand it to the holder.
                    reservations.reserve(reservation.item(), holder);
                }
            }
        }
        return count;
    }
}
