package dev.skiff.node.ipam;

import java.net.InetAddress;
import java.util.Objects;

/** The outcome of {@link IpPool#claim}, which restores a known assignment: exactly one of these. */
public sealed interface Claim {

    /** The owner now holds the address (or already held exactly it). */
    record Claimed(InetAddress address) implements Claim {
        public Claimed {
            Objects.requireNonNull(address, "address");
        }
    }

    /** Another owner holds the address; nothing changed. Two pods reporting one IP is a bug to surface, not fix. */
    record Conflict(InetAddress address, String heldBy) implements Claim {
        public Conflict {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(heldBy, "heldBy");
        }
    }

    /** The address cannot be held by this owner: outside the pool, reserved, or the owner holds another one. */
    record Unusable(InetAddress address, String why) implements Claim {
        public Unusable {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(why, "why");
        }
    }
}
