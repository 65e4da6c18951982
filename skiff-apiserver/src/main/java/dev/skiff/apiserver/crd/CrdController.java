package dev.skiff.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.cache.WatchCaches;
import dev.skiff.apiserver.registry.DeletionPolicy;
import dev.skiff.apiserver.registry.ObjectList;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.resource.ResourceCatalog;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.storage.Watch;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of CustomResourceDefinitions, what apiextensions-apiserver's naming, establishing and finalizer
 * controllers and its CRD handler do together. It lists and watches CRDs through {@link ObjectStore} and, for each,
 * level-triggered on a single thread:
 * <ol>
 *   <li>accepts its names unless another CRD of the group (or a built-in resource) holds them;</li>
 *   <li>serves its served versions: strategies and columns in {@link CustomResources}, types in the
 *       {@link ResourceCatalog}, a watch cache per version, then rebuilt discovery and OpenAPI documents;</li>
 *   <li>writes its status: NamesAccepted, Established (only once it is served, so that a client waiting for
 *       Established can use the resource at once), acceptedNames, storedVersions;</li>
 *   <li>once deleted (marked by {@link CrdStrategy}'s deletion policy), deletes every instance, waits until none
 *       remains, then removes the cleanup finalizer so the CRD goes; when it is gone, stops serving.</li>
 * </ol>
 * Thread-safe: events are handed to the injected single-threaded executor.
 */
public final class CrdController implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CrdController.class);
    private static final long RETRY_MILLIS = 1000;

    /** What is served for one CRD, and from which spec. */
    private record Serving(String group, String plural, List<ResourceType> types, JsonNode fingerprint) {
    }

    private final ObjectStore store;
    private final ResourceCatalog catalog;
    private final WatchCaches caches;
    private final CustomResources registry;
    private final Runnable onServingChange;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final ResourceType definitions;
    private final Set<String> builtins = new HashSet<>();
    private final Map<String, Serving> serving = new HashMap<>();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private volatile Watch watch;
    private volatile boolean closed;

    /**
     * @param onServingChange called (on the controller's thread) after the served types changed, to rebuild
     *                        discovery and OpenAPI
     * @param executor        a single-threaded executor the controller runs on; the caller shuts it down
     */
    public CrdController(ObjectStore store, ResourceCatalog catalog, WatchCaches caches, CustomResources registry,
            Runnable onServingChange, Clock clock, ScheduledExecutorService executor) {
        this.store = store;
        this.catalog = catalog;
        this.caches = caches;
        this.registry = registry;
        this.onServingChange = onServingChange;
        this.clock = clock;
        this.executor = executor;
        this.definitions = catalog.find(CrdValidation.GROUP, "v1", "customresourcedefinitions").orElseThrow();
        catalog.all().forEach(type -> builtins.add(type.group() + "/" + type.plural()));
    }

    /** Serves the CRDs in storage now (blocking, so a restarted server serves them at once), then follows changes. */
    public void start() {
        follow(true);
    }

    private void follow(boolean blocking) {
        ObjectList initial = store.list(definitions, "", 0, null, 0, o -> true);
        Set<String> names = new HashSet<>();
        for (ObjectNode crd : initial.items()) {
            names.add(crd.path("metadata").path("name").asText());
        }
        // After a lost watch, CRDs deleted meanwhile must stop being served too.
        names.addAll(serving.keySet());
        for (String name : names) {
            if (blocking) {
                reconcileQuietly(name);
            } else {
                enqueue(name);
            }
        }
        watch = store.watch(definitions, "", initial.revision(), ObjectStore.EVERYTHING,
                event -> enqueue(event.object().path("metadata").path("name").asText()), this::watchEnded);
    }

    private void watchEnded(ApiException end) {
        if (closed || end == null) {
            return;
        }
        LOG.warn("CRD watch ended ({}); listing again", end.getMessage());
        executor.execute(() -> follow(false));
    }

    private void enqueue(String name) {
        if (!closed && queued.add(name)) {
            executor.execute(() -> {
                queued.remove(name);
                reconcileQuietly(name);
            });
        }
    }

    private void reconcileQuietly(String name) {
        try {
            reconcile(name);
        } catch (RuntimeException e) {
            if (closed) {
                return;
            }
            LOG.warn("reconciling CRD {} failed; retrying", name, e);
            executor.schedule(() -> enqueue(name), RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void reconcile(String name) {
        ObjectNode crd;
        try {
            crd = store.get(definitions, "", name);
        } catch (ApiException e) {
            if (e.code() == 404) {
                unserve(name);
                return;
            }
            throw e;
        }
        List<ObjectNode> all = store.list(definitions, "", 0, null, 0, o -> true).items();
        CrdStatus.Conflict conflict = CrdStatus.conflict(crd, all, builtins);
        if (conflict == null) {
            serve(crd);
        }
        boolean served = serving.containsKey(name);
        boolean terminating = crd.path("metadata").hasNonNull("deletionTimestamp");
        ObjectNode status = desiredStatus(crd, conflict, served, terminating);
        if (!status.equals(crd.path("status"))) {
            store.update(definitions, "", name, 0, DeletionPolicy.DEFAULT, current -> {
                current.set("status", desiredStatus(current, conflict, served,
                        current.path("metadata").hasNonNull("deletionTimestamp")));
                return current;
            });
        }
        if (terminating && hasCleanupFinalizer(crd)) {
            cleanUp(crd);
        }
    }

    private ObjectNode desiredStatus(ObjectNode crd, CrdStatus.Conflict conflict, boolean served,
            boolean terminating) {
        ObjectNode status = CrdStatus.desired(crd, conflict, served, clock);
        if (terminating && hasCleanupFinalizer(crd)) {
            CrdStatus.setCondition(status, "Terminating", "True", "InstanceDeletionInProgress",
                    "CustomResource deletion is in progress", clock);
        }
        return status;
    }

    private void serve(ObjectNode crd) {
        CustomResourceDefinition definition = CustomResourceDefinition.parse(crd);
        ObjectNode fingerprint = JsonNodeFactory.instance.objectNode();
        fingerprint.set("spec", crd.path("spec"));
        fingerprint.put("terminating", definition.terminating());
        Serving current = serving.get(definition.name());
        if (current != null && current.fingerprint().equals(fingerprint)) {
            return;
        }
        List<ServedVersion> versions = ServedVersion.of(definition);
        List<ResourceType> types = versions.stream().map(ServedVersion::type).toList();
        registry.serve(definition.group(), definition.names().plural(), versions);
        Map<ResourceType, JsonNode> schemas = new HashMap<>();
        versions.stream().filter(v -> v.version().schema() != null)
                .forEach(v -> schemas.put(v.type(), v.version().schema()));
        catalog.replaceCustom(definition.group(), definition.names().plural(), types, schemas);
        if (current != null) {
            current.types().forEach(caches::stop);
        }
        // A new cache per version: objects cached under an older schema would keep its shape.
        types.forEach(caches::start);
        serving.put(definition.name(), new Serving(definition.group(), definition.names().plural(), types,
                fingerprint));
        LOG.debug("serving {} versions {}", definition.name(), types.stream().map(ResourceType::version).toList());
        onServingChange.run();
    }

    private void unserve(String name) {
        Serving current = serving.remove(name);
        if (current == null) {
            return;
        }
        registry.unserve(current.group(), current.plural());
        catalog.replaceCustom(current.group(), current.plural(), List.of());
        current.types().forEach(caches::stop);
        LOG.debug("stopped serving {}", name);
        onServingChange.run();
    }

    private static boolean hasCleanupFinalizer(JsonNode crd) {
        for (JsonNode finalizer : crd.path("metadata").path("finalizers")) {
            if (finalizer.asText().equals(CrdStrategy.CLEANUP_FINALIZER)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The finalizer's work: delete every instance (they may themselves wait for finalizers), and only when none
     * remains let the CRD go, as upstream's finalizer controller does.
     */
    private void cleanUp(ObjectNode crd) {
        CustomResourceDefinition definition = CustomResourceDefinition.parse(crd);
        ResourceType type = storedType(definition);
        for (ObjectNode instance : store.list(type, "", 0, null, 0, o -> true).items()) {
            JsonNode metadata = instance.path("metadata");
            try {
                store.delete(type, metadata.path("namespace").asText(""), metadata.path("name").asText(), null, 0);
            } catch (ApiException e) {
                if (e.code() != 404) {
                    throw e;
                }
            }
        }
        if (!store.list(type, "", 1, null, 0, o -> true).items().isEmpty()) {
            executor.schedule(() -> enqueue(definition.name()), RETRY_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        store.update(definitions, "", definition.name(), 0, DeletionPolicy.DEFAULT, current -> {
            ArrayNode finalizers = current.withObjectProperty("metadata").withArrayProperty("finalizers");
            for (Iterator<JsonNode> it = finalizers.iterator(); it.hasNext(); ) {
                if (it.next().asText().equals(CrdStrategy.CLEANUP_FINALIZER)) {
                    it.remove();
                }
            }
            CrdStatus.setCondition(current.withObjectProperty("status"), "Terminating", "False",
                    "InstanceDeletionCompleted", "removed all instances", clock);
            return current;
        });
    }

    /** A type addressing the CRD's objects in storage (all versions share one key prefix). */
    private static ResourceType storedType(CustomResourceDefinition definition) {
        String version = definition.storageVersion().map(CrdVersion::name)
                .orElse(definition.versions().isEmpty() ? "v1" : definition.versions().get(0).name());
        CrdNames names = definition.names();
        return new ResourceType(definition.group(), version, names.kind(), names.plural(), names.singular(),
                definition.namespaced(), names.shortNames(), names.categories(), ResourceType.ALL_VERBS, List.of());
    }

    @Override
    public void close() {
        closed = true;
        Watch current = watch;
        if (current != null) {
            current.cancel();
        }
    }
}
