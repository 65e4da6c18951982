package dev.skiff.control.controller.gc;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One informer per deletable resource the server serves, found through discovery (built-in kinds, custom
 * resources, aggregated APIs), as upstream's {@code GraphBuilder} monitors: every resource that supports
 * {@code list}, {@code watch} and {@code delete}, in each group's preferred version, except events (upstream's
 * default ignored resources). {@link #sync()} runs discovery again, starting informers for new resources (a CRD
 * just established) and stopping those of resources that went away. Informers keep only metadata
 * ({@link SlimStore}) and report every change to the {@link Listener}.
 *
 * <p>Thread-safe; {@link #sync()} blocks on discovery requests. Listener calls come on informer threads.
 */
public final class ResourceMonitors implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceMonitors.class);
    private static final long SYNC_TIMEOUT_SECONDS = 60;
    private static final Set<String> IGNORED = Set.of("events", "events.events.k8s.io");

    /** Receives the watched objects' changes. Called on informer threads; must not block. */
    public interface Listener {

        void onUpsert(ResourceKind resource, GenericKubernetesResource object);

        void onDelete(ResourceKind resource, GenericKubernetesResource object);
    }

    /** One watched resource; {@code stop} closes its own informer or detaches from a shared one. */
    private record Monitor(ResourceKind resource, Runnable stop, CompletableFuture<Void> synced) {
    }

    private final KubernetesClient client;
    private final Listener listener;
    private final SharedMonitors shared;
    private final Map<String, Monitor> monitors = new HashMap<>();
    private volatile Map<String, ResourceKind> byGroupKind = Map.of();
    private final Object syncLock = new Object();
    private boolean closed;

    public ResourceMonitors(KubernetesClient client, Listener listener) {
        this(client, listener, SharedMonitors.NONE);
    }

    /** Watches through {@code shared}'s informers where it has the resource, through its own elsewhere. */
    public ResourceMonitors(KubernetesClient client, Listener listener, SharedMonitors shared) {
        this.client = client;
        this.listener = listener;
        this.shared = shared;
    }

    /**
     * Discovers the deletable resources and aligns the informers with them. Returns when the informers this call
     * started have synced their first list, or failed to (a resource that cannot be listed is logged and skipped).
     */
    public void sync() {
        // Whole runs are serialized: a slower, older discovery must never overwrite a newer one's kinds.
        synchronized (syncLock) {
            syncOnce();
        }
    }

    private void syncOnce() {
        Map<String, ResourceKind> found = discover();
        List<CompletableFuture<Void>> started = new ArrayList<>();
        boolean usesShared = false;
        Map<String, ResourceKind> kinds = new HashMap<>();
        for (ResourceKind resource : found.values()) {
            kinds.putIfAbsent(resource.groupKind(), resource);
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            for (var it = monitors.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Monitor> entry = it.next();
                if (!entry.getValue().resource().equals(found.get(entry.getKey()))) {
                    LOG.info("garbage collector stops watching {}", entry.getKey());
                    entry.getValue().stop().run();
                    it.remove();
                }
            }
            for (ResourceKind resource : found.values()) {
                if (!monitors.containsKey(resource.groupResource())) {
                    Monitor monitor = monitor(resource);
                    monitors.put(resource.groupResource(), monitor);
                    if (monitor.synced() == null) {
                        usesShared = true;
                    } else {
                        started.add(monitor.synced().exceptionally(e -> {
                            LOG.warn("garbage collector cannot watch {}: {}", resource.groupResource(),
                                    e.toString());
                            return null;
                        }));
                    }
                }
            }
        }
        try {
            if (usesShared) {
                shared.start();
            }
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(SYNC_TIMEOUT_SECONDS,
                    TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.warn("garbage collector informers did not all sync within {} s; continuing", SYNC_TIMEOUT_SECONDS);
        } catch (ExecutionException e) {
            LOG.warn("garbage collector informers failed to sync", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A kind resolves only once its informer has listed: until then the graph cannot know its objects, and
        // dependents naming one wait (and retry) rather than be judged against an empty graph.
        byGroupKind = Map.copyOf(kinds);
    }

    /** The watched resource of an owner reference's {@code apiVersion} and {@code kind}, matched by group and kind. */
    public Optional<ResourceKind> resolve(String apiVersion, String kind) {
        String group = ResourceKind.groupOf(apiVersion);
        return Optional.ofNullable(byGroupKind.get(group.isEmpty() ? kind : kind + "." + group));
    }

    /** How many resources are watched. */
    public synchronized int size() {
        return monitors.size();
    }

    private Monitor monitor(ResourceKind resource) {
        var existing = shared.find(resource);
        if (existing.isPresent()) {
            // Another component's typed informer: the collector keeps no copy, it reads each object's metadata.
            ResourceEventHandler<HasMetadata> handler = handler(resource, SlimStore::slim);
            @SuppressWarnings("unchecked")
            SharedIndexInformer<HasMetadata> informer = (SharedIndexInformer<HasMetadata>) existing.get();
            informer.addEventHandler(handler);
            return new Monitor(resource, () -> informer.removeEventHandler(handler), null);
        }
        SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(
                resource.context()).inAnyNamespace().runnableInformer(0);
        informer.itemStore(new SlimStore());
        informer.addEventHandler(handler(resource, o -> (GenericKubernetesResource) o));
        return new Monitor(resource, informer::close, informer.start().toCompletableFuture());
    }

    private <T extends HasMetadata> ResourceEventHandler<T> handler(ResourceKind resource,
            java.util.function.Function<HasMetadata, GenericKubernetesResource> view) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                listener.onUpsert(resource, view.apply(obj));
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                listener.onUpsert(resource, view.apply(newObj));
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                listener.onDelete(resource, view.apply(obj));
            }
        };
    }

    /** Deletable, watchable resources by {@code plural.group}, the preferred version of each group. */
    private Map<String, ResourceKind> discover() {
        Map<String, ResourceKind> found = new LinkedHashMap<>();
        collect("", "v1", found);
        for (APIGroup group : client.getApiGroups().getGroups()) {
            String preferred = group.getPreferredVersion() != null
                    ? group.getPreferredVersion().getVersion()
                    : group.getVersions().isEmpty() ? null : group.getVersions().get(0).getVersion();
            if (preferred != null) {
                collect(group.getName(), preferred, found);
            }
        }
        return found;
    }

    private void collect(String group, String version, Map<String, ResourceKind> found) {
        APIResourceList list;
        try {
            list = client.getApiResources(group.isEmpty() ? version : group + "/" + version);
        } catch (KubernetesClientException e) {
            // As upstream: a group that fails discovery (an unavailable aggregated API) is skipped this round.
            LOG.debug("discovery of {}/{} failed: {}", group, version, e.toString());
            return;
        }
        if (list == null || list.getResources() == null) {
            return;
        }
        for (APIResource r : list.getResources()) {
            List<String> verbs = r.getVerbs() == null ? List.of() : r.getVerbs();
            if (r.getName().contains("/") || !verbs.containsAll(List.of("list", "watch", "delete"))) {
                continue;
            }
            ResourceKind resource = new ResourceKind(group, version, r.getName(), r.getKind(),
                    Boolean.TRUE.equals(r.getNamespaced()));
            if (!IGNORED.contains(resource.groupResource())) {
                found.put(resource.groupResource(), resource);
            }
        }
    }

    @Override
    public void close() {
        List<Monitor> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(monitors.values());
            monitors.clear();
        }
        all.forEach(m -> m.stop().run());
    }
}
