package dev.skiff.control.controller.endpoint;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Spreads desired endpoints of one address type over EndpointSlices of at most {@code maxPerSlice} endpoints while
 * rewriting as few slices as possible, after upstream's reconciler ({@code reconcileByPortMapping}): an endpoint
 * stays in the slice that has it; slices with a port list no longer wanted, or left empty, are deleted; new
 * endpoints fill slices that are being rewritten anyway, then one unchanged slice if they all fit there, and only
 * then new slices. A service without endpoints keeps one empty placeholder slice (no ports), as upstream, so
 * clients can tell "no endpoints" from "not reconciled yet". Pure.
 */
public final class SlicePlanner {

    /** Upstream's default {@code --max-endpoints-per-slice}. */
    public static final int MAX_ENDPOINTS_PER_SLICE = 100;

    private SlicePlanner() {
    }

    /** One slice's content. */
    public record Content(List<EndpointPort> ports, List<Endpoint> endpoints) {
        public Content {
            ports = List.copyOf(ports);
            endpoints = List.copyOf(endpoints);
        }
    }

    /**
     * What to write.
     *
     * @param create  contents of new slices
     * @param update  existing slice name to its new content
     * @param delete  names of slices to delete
     * @param keep    names of existing slices whose content stays as it is
     */
    public record Plan(List<Content> create, Map<String, Content> update, List<String> delete, List<String> keep) {
        public Plan {
            create = List.copyOf(create);
            update = Map.copyOf(update);
            delete = List.copyOf(delete);
            keep = List.copyOf(keep);
        }
    }

    /**
     * Plans the slices.
     *
     * @param desired  port list (canonical order) to endpoints, as {@link SliceEndpoints#compute}
     * @param existing this service's current slices of the address type
     */
    public static Plan plan(Map<List<EndpointPort>, List<Endpoint>> desired, List<EndpointSlice> existing,
            int maxPerSlice) {
        List<Content> create = new ArrayList<>();
        Map<String, Content> update = new LinkedHashMap<>();
        List<String> delete = new ArrayList<>();
        List<String> keep = new ArrayList<>();
        int total = desired.values().stream().mapToInt(List::size).sum();
        if (total == 0) {
            return placeholder(existing);
        }
        Set<String> placed = new HashSet<>();
        // Per port list: the slices kept (name -> endpoints), and whether each must be rewritten.
        Map<List<EndpointPort>, Map<String, List<Endpoint>>> kept = new LinkedHashMap<>();
        Set<String> changed = new HashSet<>();
        for (EndpointSlice slice : existing) {
            String name = slice.getMetadata().getName();
            List<EndpointPort> ports = SliceEndpoints.canonical(slice.getPorts());
            List<Endpoint> wanted = desired.get(ports);
            if (wanted == null) {
                delete.add(name);
                continue;
            }
            Map<String, Endpoint> wantedByKey = new LinkedHashMap<>();
            wanted.forEach(e -> wantedByKey.put(key(e), e));
            List<Endpoint> stays = new ArrayList<>();
            List<Endpoint> current = slice.getEndpoints() == null ? List.of() : slice.getEndpoints();
            for (Endpoint endpoint : current) {
                String key = key(endpoint);
                Endpoint desiredVersion = wantedByKey.get(key);
                if (desiredVersion != null && !placed.contains(key) && stays.size() < maxPerSlice) {
                    placed.add(key);
                    stays.add(desiredVersion);
                }
            }
            if (stays.isEmpty()) {
                delete.add(name);
                continue;
            }
            if (!stays.equals(current) || !Objects.equals(slice.getPorts(), ports)) {
                changed.add(name);
            }
            kept.computeIfAbsent(ports, p -> new LinkedHashMap<>()).put(name, stays);
        }
        for (Map.Entry<List<EndpointPort>, List<Endpoint>> entry : desired.entrySet()) {
            List<EndpointPort> ports = entry.getKey();
            List<Endpoint> pending = new ArrayList<>();
            for (Endpoint endpoint : entry.getValue()) {
                if (!placed.contains(key(endpoint))) {
                    pending.add(endpoint);
                }
            }
            Map<String, List<Endpoint>> slices = kept.getOrDefault(ports, new LinkedHashMap<>());
            // 1. Fill slices that are rewritten anyway.
            for (Map.Entry<String, List<Endpoint>> slice : slices.entrySet()) {
                if (changed.contains(slice.getKey())) {
                    moveInto(pending, slice.getValue(), maxPerSlice);
                }
            }
            // 2. If the rest fits in one unchanged slice, rewrite that one (the fullest that fits) instead of
            //    creating a slice.
            if (!pending.isEmpty() && pending.size() < maxPerSlice) {
                String best = null;
                int bestRoom = Integer.MAX_VALUE;
                for (Map.Entry<String, List<Endpoint>> slice : slices.entrySet()) {
                    int room = maxPerSlice - slice.getValue().size();
                    if (!changed.contains(slice.getKey()) && room >= pending.size() && room < bestRoom) {
                        best = slice.getKey();
                        bestRoom = room;
                    }
                }
                if (best != null) {
                    moveInto(pending, slices.get(best), maxPerSlice);
                    changed.add(best);
                }
            }
            // 3. New slices for whatever is left.
            while (!pending.isEmpty()) {
                List<Endpoint> chunk = new ArrayList<>();
                moveInto(pending, chunk, maxPerSlice);
                create.add(new Content(ports, chunk));
            }
            for (Map.Entry<String, List<Endpoint>> slice : slices.entrySet()) {
                if (changed.contains(slice.getKey())) {
                    update.put(slice.getKey(), new Content(ports, slice.getValue()));
                } else {
                    keep.add(slice.getKey());
                }
            }
        }
        return new Plan(create, update, delete, keep);
    }

    /** No endpoints: keep one empty slice without ports (reusing an existing slice), delete the others. */
    private static Plan placeholder(List<EndpointSlice> existing) {
        Content empty = new Content(List.of(), List.of());
        if (existing.isEmpty()) {
            return new Plan(List.of(empty), Map.of(), List.of(), List.of());
        }
        EndpointSlice reuse = existing.stream().filter(SlicePlanner::isPlaceholder).findFirst()
                .orElse(existing.get(0));
        List<String> delete = new ArrayList<>();
        for (EndpointSlice slice : existing) {
            if (slice != reuse) {
                delete.add(slice.getMetadata().getName());
            }
        }
        String name = reuse.getMetadata().getName();
        return isPlaceholder(reuse)
                ? new Plan(List.of(), Map.of(), delete, List.of(name))
                : new Plan(List.of(), Map.of(name, empty), delete, List.of());
    }

    private static boolean isPlaceholder(EndpointSlice slice) {
        return (slice.getPorts() == null || slice.getPorts().isEmpty())
                && (slice.getEndpoints() == null || slice.getEndpoints().isEmpty());
    }

    private static void moveInto(List<Endpoint> pending, List<Endpoint> target, int max) {
        while (!pending.isEmpty() && target.size() < max) {
            target.add(pending.remove(0));
        }
    }

    /** An endpoint's identity across versions: its target pod (by uid) and addresses. */
    static String key(Endpoint endpoint) {
        String uid = endpoint.getTargetRef() == null ? "" : endpoint.getTargetRef().getUid();
        return uid + "/" + endpoint.getAddresses();
    }
}
