package dev.skiff.node.ipam;

import java.net.InetAddress;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Hands out the addresses of one network (a vSwitch's CIDR) to owners (pod UIDs), one address per owner, never the
 * same address to two owners at once.
 *
 * <p>Allocation is next-fit, like the CNI host-local IPAM: the search starts after the last address handed out and
 * wraps around, so an address just released is the last one to be reused. A pod's IP therefore does not come back
 * on a new pod seconds later, while stale Endpoints or connection tracking may still name it.
 *
 * <p>The pool keeps no state of its own across restarts: the node agent rebuilds it with {@link #claim} from the
 * pods it already runs ({@code status.podIP}) before allocating for new ones.
 *
 * <p>Thread-safe; every method is short and never blocks on anything but the pool's monitor.
 */
public final class IpPool {

    /** Pools bigger than this (a /8 in IPv4) would need more than 2 MiB of bitmap; a vSwitch is far smaller. */
    public static final int MAX_HOST_BITS = 24;

    private final Cidr cidr;
    private final int first;
    private final int end;
    private final BitSet used = new BitSet();
    private final Map<String, Integer> byOwner = new HashMap<>();
    private final Map<Integer, String> ownerAt = new HashMap<>();
    private int cursor;

    /**
     * @param reservedAtStart addresses at the start of the network never handed out (network address, gateway)
     * @param reservedAtEnd   addresses at the end never handed out (the IPv4 broadcast address)
     */
    public IpPool(Cidr cidr, int reservedAtStart, int reservedAtEnd) {
        this.cidr = Objects.requireNonNull(cidr, "cidr");
        if (cidr.hostBits() > MAX_HOST_BITS) {
            throw new IllegalArgumentException("pool " + cidr + " is too large: at most " + MAX_HOST_BITS
                    + " host bits are supported");
        }
        if (reservedAtStart < 0 || reservedAtEnd < 0) {
            throw new IllegalArgumentException("reserved address counts must not be negative");
        }
        int size = 1 << cidr.hostBits();
        this.first = reservedAtStart;
        this.end = size - reservedAtEnd;
        if (end <= first) {
            throw new IllegalArgumentException("pool " + cidr + " has no usable address once " + reservedAtStart
                    + " at the start and " + reservedAtEnd + " at the end are reserved");
        }
        this.cursor = first;
    }

    /**
     * A pool for a vSwitch: the network address and the gateway (the first host) are reserved, and for IPv4 also
     * the broadcast address, as subnets in a VPC and the host-local IPAM reserve them.
     */
    public static IpPool forSubnet(Cidr cidr) {
        return new IpPool(cidr, 2, cidr.ipv4() ? 1 : 0);
    }

    public Cidr cidr() {
        return cidr;
    }

    /** How many addresses can be handed out in total. */
    public long capacity() {
        return end - first;
    }

    /** How many addresses are held. */
    public synchronized int allocated() {
        return byOwner.size();
    }

    /**
     * Gives {@code owner} an address. Idempotent per owner: an owner that holds one gets it again (so a retried pod
     * sync does not leak addresses).
     */
    public synchronized Allocation allocate(String owner) {
        Objects.requireNonNull(owner, "owner");
        Integer held = byOwner.get(owner);
        if (held != null) {
            return new Allocation.Allocated(cidr.addressAt(held), true);
        }
        int offset = nextFree(cursor);
        if (offset < 0) {
            offset = nextFree(first);
        }
        if (offset < 0) {
            return new Allocation.Exhausted(cidr, capacity());
        }
        take(owner, offset);
        cursor = offset + 1 >= end ? first : offset + 1;
        return new Allocation.Allocated(cidr.addressAt(offset), false);
    }

    /**
     * Records that {@code owner} holds {@code address}, as found after a restart. Idempotent for the same pair. The
     * next-fit search continues after the highest address claimed so far, approximating "after the last one handed
     * out" that the previous process knew.
     */
    public synchronized Claim claim(String owner, InetAddress address) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(address, "address");
        long offset = cidr.offsetOf(address);
        if (offset < 0) {
            return new Claim.Unusable(address, address.getHostAddress() + " is not in " + cidr);
        }
        if (offset < first || offset >= end) {
            return new Claim.Unusable(address, address.getHostAddress() + " is reserved in " + cidr);
        }
        int at = (int) offset;
        String holder = ownerAt.get(at);
        if (holder != null) {
            return holder.equals(owner) ? new Claim.Claimed(address) : new Claim.Conflict(address, holder);
        }
        Integer other = byOwner.get(owner);
        if (other != null) {
            return new Claim.Unusable(address, owner + " already holds " + cidr.addressAt(other).getHostAddress());
        }
        take(owner, at);
        if (at + 1 > cursor) {
            cursor = at + 1 >= end ? first : at + 1;
        }
        return new Claim.Claimed(address);
    }

    /** Frees the owner's address, if it holds one. Idempotent. */
    public synchronized Optional<InetAddress> release(String owner) {
        Integer offset = byOwner.remove(Objects.requireNonNull(owner, "owner"));
        if (offset == null) {
            return Optional.empty();
        }
        used.clear(offset);
        ownerAt.remove(offset);
        return Optional.of(cidr.addressAt(offset));
    }

    /** The owner's address, if it holds one. */
    public synchronized Optional<InetAddress> addressOf(String owner) {
        Integer offset = byOwner.get(owner);
        return offset == null ? Optional.empty() : Optional.of(cidr.addressAt(offset));
    }

    /** Who holds {@code address}, if anybody. */
    public synchronized Optional<String> ownerOf(InetAddress address) {
        long offset = cidr.offsetOf(address);
        return offset < 0 ? Optional.empty() : Optional.ofNullable(ownerAt.get((int) offset));
    }

    private int nextFree(int from) {
        int offset = used.nextClearBit(from);
        return offset < end ? offset : -1;
    }

    private void take(String owner, int offset) {
        used.set(offset);
        byOwner.put(owner, offset);
        ownerAt.put(offset, owner);
    }

    @Override
    public synchronized String toString() {
        return "IpPool[" + cidr + ", " + byOwner.size() + "/" + capacity() + " held]";
    }
}
