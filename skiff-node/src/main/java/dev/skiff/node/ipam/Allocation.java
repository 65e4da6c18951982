package dev.skiff.node.ipam;

import java.net.InetAddress;
import java.util.Objects;

/** The outcome of {@link IpPool#allocate}: exactly one of these. */
public sealed interface Allocation {

    /**
     * The owner holds {@code address}.
     *
     * @param existing true when the owner already held it before this call (a retried allocation)
     */
    record Allocated(InetAddress address, boolean existing) implements Allocation {
        public Allocated {
            Objects.requireNonNull(address, "address");
        }
    }

    /** Every usable address is held; the pod cannot get one from this pool until another is released. */
    record Exhausted(Cidr cidr, long capacity) implements Allocation {
    }
}
