package dev.skiff.control.controller.namespace;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one pass over a terminating namespace's content found.
 *
 * @param discoveryFailures     group versions discovery could not list, as {@code group/version: error}
 * @param deleteFailures        resources whose content could not be deleted or listed, as {@code resource.group: error}
 * @param remainingByResource   objects still present per {@code resource.group}
 * @param remainingByFinalizer  objects still present per finalizer they carry
 * @param estimate              when another pass is worth it (pods still within their grace period, finalizers)
 */
record ContentResult(List<String> discoveryFailures, List<String> deleteFailures,
        SortedMap<String, Integer> remainingByResource, SortedMap<String, Integer> remainingByFinalizer,
        Duration estimate) {

    ContentResult {
        discoveryFailures = List.copyOf(discoveryFailures);
        deleteFailures = List.copyOf(deleteFailures);
        remainingByResource = new TreeMap<>(remainingByResource);
        remainingByFinalizer = new TreeMap<>(remainingByFinalizer);
    }

    static ContentResult empty() {
        return new ContentResult(List.of(), List.of(), new TreeMap<>(), new TreeMap<>(), Duration.ZERO);
    }

    /** Whether the namespace may be finalized: everything discovered, deleted and gone. */
    boolean done() {
        return discoveryFailures.isEmpty() && deleteFailures.isEmpty() && remainingByResource.isEmpty();
    }

    boolean failed() {
        return !discoveryFailures.isEmpty() || !deleteFailures.isEmpty();
    }

    static SortedMap<String, Integer> counts(Map<String, Integer> counts) {
        return new TreeMap<>(counts);
    }
}
