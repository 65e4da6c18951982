package dev.skiff.control.controller.endpoint;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers this controller's own writes per service until the informer cache shows them, so a reconcile never
 * acts on a cache older than its last write (upstream's {@code EndpointSliceTracker.StaleSlices} and the endpoints
 * controller's {@code staleEndpointsTracker}): a slice it created must appear, one it deleted must disappear, one
 * it updated must no longer carry the resourceVersion it had before the update. Acting on such a stale cache
 * would, for instance, create a second slice for endpoints already placed.
 *
 * A write the cache never shows (say, a slice created and deleted by someone else before the watch delivered it)
 * is forgotten after {@link #PATIENCE}, so a service is never blocked for good.
 *
 * <p>Thread-safe for different services; the controller never reconciles one service on two threads at once.
 */
final class WriteTracker {

    /** How long the cache may lag a write before the write is forgotten. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private static final class Pending {
        Instant lastWrite;
        final Set<String> created = new HashSet<>();
        final Set<String> deleted = new HashSet<>();
        final Map<String, String> updatedFrom = new HashMap<>();
    }

    private final Map<String, Pending> byService = new ConcurrentHashMap<>();
    private final Clock clock;

    WriteTracker(Clock clock) {
        this.clock = clock;
    }

    void created(String service, String name) {
        pending(service).created.add(name);
    }

    void deleted(String service, String name) {
        pending(service).deleted.add(name);
    }

    void updated(String service, String name, String previousResourceVersion) {
        pending(service).updatedFrom.put(name, previousResourceVersion);
    }

    /**
     * Whether the cache still lags a write; forgets the writes it shows.
     *
     * @param cached the service's objects in the cache, name to resourceVersion
     */
    boolean stale(String service, Map<String, String> cached) {
        Pending pending = byService.get(service);
        if (pending == null) {
            return false;
        }
        if (pending.lastWrite.plus(PATIENCE).isBefore(clock.instant())) {
            byService.remove(service);
            return false;
        }
        pending.created.removeIf(cached::containsKey);
        pending.deleted.removeIf(name -> !cached.containsKey(name));
        pending.updatedFrom.entrySet().removeIf(e -> !cached.containsKey(e.getKey())
                || !Objects.equals(cached.get(e.getKey()), e.getValue()));
        if (pending.created.isEmpty() && pending.deleted.isEmpty() && pending.updatedFrom.isEmpty()) {
            byService.remove(service);
            return false;
        }
        return true;
    }

    void forget(String service) {
        byService.remove(service);
    }

    private Pending pending(String service) {
        Pending pending = byService.computeIfAbsent(service, s -> new Pending());
        pending.lastWrite = clock.instant();
        return pending;
    }
}
