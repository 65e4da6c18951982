package dev.skiff.control.controller;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a controller is waiting to see in its informer cache after it wrote: mirrors upstream's
 * {@code UIDTrackingControllerExpectations}. After creating n pods a ReplicaSet must not reconcile from a cache
 * that does not show them yet, or it would create them again; so it syncs its pods only once the creations and the
 * deletions (tracked by pod UID, so a pod deleted by someone else does not count) have been observed, or the
 * expectations are five minutes old (upstream's {@code ExpectationsTimeout}: a lost watch event must not wedge the
 * controller).
 *
 * <p>Thread-safe.
 */
public final class Expectations {

    static final Duration TIMEOUT = Duration.ofMinutes(5);

    private record Pending(int adds, Set<String> deletes, Instant since) {
    }

    private final Clock clock;
    private final Map<String, Pending> pending = new HashMap<>();

    public Expectations(Clock clock) {
        this.clock = clock;
    }

    /** True when the key has nothing outstanding (or its expectations expired): the controller may sync it. */
    public synchronized boolean satisfied(String key) {
        Pending p = pending.get(key);
        if (p == null) {
            return true;
        }
        if (p.adds() <= 0 && p.deletes().isEmpty()) {
            return true;
        }
        return !clock.instant().isBefore(p.since().plus(TIMEOUT));
    }

    /** Records that {@code adds} creations are about to be issued. */
    public synchronized void expectCreations(String key, int adds) {
        pending.put(key, new Pending(adds, new HashSet<>(), clock.instant()));
    }

    /** Records that pods with these UIDs are about to be deleted. */
    public synchronized void expectDeletions(String key, Set<String> uids) {
        pending.put(key, new Pending(0, new HashSet<>(uids), clock.instant()));
    }

    /** One expected creation was seen (or will never happen because the create call failed). */
    public synchronized void creationObserved(String key) {
        Pending p = pending.get(key);
        if (p != null) {
            pending.put(key, new Pending(p.adds() - 1, p.deletes(), p.since()));
        }
    }

    /** The pod with this UID was seen deleted (or its delete call failed). */
    public synchronized void deletionObserved(String key, String uid) {
        Pending p = pending.get(key);
        if (p != null) {
            p.deletes().remove(uid);
        }
    }

    /** Forgets the key (its object is gone). */
    public synchronized void delete(String key) {
        pending.remove(key);
    }
}
