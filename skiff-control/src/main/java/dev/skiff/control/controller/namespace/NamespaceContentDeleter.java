package dev.skiff.control.controller.namespace;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.control.controller.Times;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Deletes everything in a namespace, as upstream's {@code namespacedResourcesDeleter.deleteAllContent}: discovery
 * names every namespaced resource that can be deleted (built-ins and custom resources alike, preferred versions);
 * each is emptied with one {@code deletecollection} (background propagation, as upstream), or item by item when the
 * resource lacks that verb, then listed again to count what is left and which finalizers hold it. Pods deleted
 * gracefully stay until their node agent has stopped them; the estimate says when to look again.
 *
 * <p>Thread-safe; blocks on API calls.
 */
final class NamespaceContentDeleter {

    /** How soon to look again at content held by finalizers (someone else's controller must act first). */
    static final Duration FINALIZER_ESTIMATE = Duration.ofSeconds(5);
    /** The longest wait before looking again; pod deletions also wake the controller earlier. */
    static final Duration MAX_ESTIMATE = Duration.ofSeconds(60);

    private static final String BACKGROUND = RawApi.toJson(Map.of("apiVersion", "v1", "kind", "DeleteOptions",
            "propagationPolicy", "Background"));

    private final RawApi api;
    private final Clock clock;

    NamespaceContentDeleter(RawApi api, Clock clock) {
        this.api = api;
        this.clock = clock;
    }

    /** Discovered resources and the group versions discovery failed for. */
    record Discovery(List<NamespacedResource> resources, List<String> failures) {
    }

    /** Upstream's {@code ServerPreferredNamespacedResources}, filtered to resources that support delete. */
    Discovery discover() {
        List<NamespacedResource> resources = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        collect("", "v1", "/api/v1", resources, failures);
        JsonNode groups;
        try {
            groups = api.get("/apis");
        } catch (KubernetesClientException e) {
            failures.add("/apis: " + e.getMessage());
            return new Discovery(resources, failures);
        }
        for (JsonNode group : groups.path("groups")) {
            String name = group.path("name").asText();
            String version = group.path("preferredVersion").path("version").asText("");
            if (version.isEmpty() && group.path("versions").size() > 0) {
                version = group.path("versions").get(0).path("version").asText();
            }
            collect(name, version, "/apis/" + name + "/" + version, resources, failures);
        }
        return new Discovery(resources, failures);
    }

    private void collect(String group, String version, String path, List<NamespacedResource> into,
                         List<String> failures) {
        JsonNode list;
        try {
            list = api.get(path);
        } catch (KubernetesClientException e) {
            failures.add((group.isEmpty() ? version : group + "/" + version) + ": " + e.getMessage());
            return;
        }
        for (JsonNode resource : list.path("resources")) {
            String plural = resource.path("name").asText();
            if (plural.contains("/") || !resource.path("namespaced").asBoolean(false)) {
                continue; // subresources and cluster-scoped resources
            }
            Set<String> verbs = new HashSet<>();
            resource.path("verbs").forEach(v -> verbs.add(v.asText()));
            if (verbs.contains("delete")) {
                into.add(new NamespacedResource(group, version, plural, verbs));
            }
        }
    }

    /** One pass: deletes all content of the namespace and reports what remains. */
    ContentResult deleteAll(String namespace) {
        Discovery discovery = discover();
        List<String> deleteFailures = new ArrayList<>();
        Map<String, Integer> remaining = new TreeMap<>();
        Map<String, Integer> finalizers = new TreeMap<>();
        Duration estimate = Duration.ZERO;
        Instant now = clock.instant();
        for (NamespacedResource resource : discovery.resources()) {
            try {
                deleteContent(resource, namespace);
                if (!resource.verbs().contains("list")) {
                    continue;
                }
                JsonNode items = api.get(resource.path(namespace)).path("items");
                if (items.isEmpty()) {
                    continue;
                }
                remaining.put(resource.groupResource(), items.size());
                for (JsonNode item : items) {
                    JsonNode metadata = item.path("metadata");
                    metadata.path("finalizers").forEach(f -> finalizers.merge(f.asText(), 1, Integer::sum));
                    estimate = max(estimate, estimate(resource, metadata, now));
                }
            } catch (KubernetesClientException e) {
                deleteFailures.add(resource.groupResource() + ": " + e.getMessage());
            }
        }
        return new ContentResult(discovery.failures(), deleteFailures, ContentResult.counts(remaining),
                ContentResult.counts(finalizers), estimate);
    }

    /**
     * When an object left after deletion is worth looking at again: a pod in its grace period at its
     * deletionTimestamp (upstream's {@code estimateGracefulTermination}), an object held by finalizers after
     * {@link #FINALIZER_ESTIMATE}, anything else after a second; never later than {@link #MAX_ESTIMATE}.
     */
    static Duration estimate(NamespacedResource resource, JsonNode metadata, Instant now) {
        Duration wait = Duration.ofSeconds(1);
        if (metadata.path("finalizers").size() > 0) {
            wait = FINALIZER_ESTIMATE;
        }
        Instant deletion = Times.parse(metadata.path("deletionTimestamp").asText(null));
        if (resource.group().isEmpty() && resource.plural().equals("pods") && deletion != null) {
            wait = max(wait, Duration.between(now, deletion));
        }
        return wait.compareTo(MAX_ESTIMATE) > 0 ? MAX_ESTIMATE : wait;
    }

    private void deleteContent(NamespacedResource resource, String namespace) {
        String path = resource.path(namespace);
        if (resource.verbs().contains("deletecollection")) {
            RawApi.Response response = api.send("DELETE", path, BACKGROUND);
            if (response.ok() || response.code() == 404) {
                return;
            }
            if (response.code() != 405) {
                throw RawApi.failure(response, "deletecollection " + resource.groupResource());
            }
            // Not actually supported: delete one by one below, as upstream falls back.
        }
        if (!resource.verbs().contains("list")) {
            return;
        }
        for (JsonNode item : api.get(path).path("items")) {
            JsonNode metadata = item.path("metadata");
            if (metadata.hasNonNull("deletionTimestamp")) {
                continue; // already being deleted
            }
            RawApi.Response response = api.send("DELETE", path + "/" + metadata.path("name").asText(), BACKGROUND);
            if (!response.ok() && response.code() != 404) {
                throw RawApi.failure(response, "delete " + resource.groupResource());
            }
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
