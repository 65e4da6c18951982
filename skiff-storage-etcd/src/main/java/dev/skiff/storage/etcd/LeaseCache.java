package dev.skiff.storage.etcd;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Hands out etcd leases for TTL writes, sharing one lease between writes with the same TTL.
 *
 * <p>A lease per key would make every Kubernetes Event (one-hour TTL) cost an extra grant round-trip and leave etcd
 * with one lease object per key. Like kube-apiserver, we accept that a key may outlive its TTL by a small slack
 * (5% of the TTL) and grant leases for {@code TTL + slack}; a lease is then reused by every later write with the same
 * TTL for as long as it still has at least the TTL to run. Each key therefore lives between its TTL and its TTL plus
 * the slack (plus etcd's rounding up to whole seconds), and a busy TTL costs one grant per slack window.
 *
 * <p>Thread-safe. Grants for one TTL are serialised, so a burst of writers triggers one grant, not one each.
 */
final class LeaseCache {

    /** A lease is trusted for this many keys at most, as kube-apiserver does, to bound one revoke's blast. */
    static final int MAX_KEYS_PER_LEASE = 1000;
    private static final double SLACK_FRACTION = 0.05;

    /** Grants a lease of the given whole seconds and returns its id. Blocking. */
    interface Granter {
        long grant(long ttlSeconds);
    }

    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        long leaseId;
        /** Conservative local estimate of when the lease expires (nanoTime), taken before the grant was sent. */
        long expiresAtNanos;
        int keys;
        boolean valid;
    }

    private final Granter granter;
    private final LongSupplier nanoClock;
    private final Map<Long, Slot> slots = new ConcurrentHashMap<>();

    LeaseCache(Granter granter, LongSupplier nanoClock) {
        this.granter = granter;
        this.nanoClock = nanoClock;
    }

    /** The whole seconds a lease for {@code ttl} is granted for: the TTL plus the slack, rounded up. */
    static long leaseSeconds(Duration ttl) {
        long ttlMillis = ttl.toMillis();
        long slackMillis = (long) (ttlMillis * SLACK_FRACTION);
        return Math.ceilDiv(ttlMillis + slackMillis, 1000L);
    }

    /** A lease that lives at least {@code ttl} from now and at most the slack longer (modulo whole seconds). */
    long leaseFor(Duration ttl) {
        long ttlNanos = ttl.toNanos();
        long seconds = leaseSeconds(ttl);
        // Slots are keyed by the requested TTL, so a reused lease never outlives a key by more than its own slack.
        Slot slot = slots.computeIfAbsent(ttl.toMillis(), k -> new Slot());
        slot.lock.lock();
        try {
            long now = nanoClock.getAsLong();
            if (slot.valid && slot.keys < MAX_KEYS_PER_LEASE && slot.expiresAtNanos - now >= ttlNanos) {
                slot.keys++;
                return slot.leaseId;
            }
            long id = granter.grant(seconds);
            slot.leaseId = id;
            slot.expiresAtNanos = now + Duration.ofSeconds(seconds).toNanos();
            slot.keys = 1;
            slot.valid = true;
            return id;
        } finally {
            slot.lock.unlock();
        }
    }

    /** Forgets {@code leaseId} (etcd no longer knows it), so the next write for its TTL grants a new one. */
    void invalidate(long leaseId) {
        for (Slot slot : slots.values()) {
            slot.lock.lock();
            try {
                if (slot.valid && slot.leaseId == leaseId) {
                    slot.valid = false;
                }
            } finally {
                slot.lock.unlock();
            }
        }
    }
}
