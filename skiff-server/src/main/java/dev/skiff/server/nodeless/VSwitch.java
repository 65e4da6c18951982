package dev.skiff.server.nodeless;

import dev.skiff.node.ipam.Cidr;
import java.util.Objects;

/**
 * One vSwitch of the ECI Profile: a zone and the CIDR its pods take addresses from. A virtual node is generated for
 * each.
 *
 * @param id   the vSwitch ID as listed in {@code vSwitchIds}
 * @param zone the zone ID ({@code topology.kubernetes.io/zone} of its node), by Alibaba Cloud's convention the
 *             region followed by a letter ({@code local-a})
 * @param cidr the vSwitch's IPv4 CIDR
 */
public record VSwitch(String id, String zone, Cidr cidr) {

    public VSwitch {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(cidr, "cidr");
    }

    /** The node generated for this vSwitch: {@code virtual-kubelet-<zone>}, as ACK names its virtual nodes. */
    public String nodeName() {
        return "virtual-kubelet-" + zone;
    }
}
