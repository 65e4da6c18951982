package dev.skiff.apiserver.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.resource.ResourceCatalog;
import dev.skiff.apiserver.resource.ResourceType;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link WatchCache} per listable resource, started together. Thread-safe. */
public final class WatchCaches implements AutoCloseable {

    private final Map<String, WatchCache> caches = new ConcurrentHashMap<>();

    private WatchCaches() {
    }

    /** Starts a cache for every resource of {@code catalog} that can be listed. */
    public static WatchCaches start(ResourceCatalog catalog, ObjectStore store, ObjectMapper json, int window) {
        WatchCaches all = new WatchCaches();
        for (ResourceType type : catalog.all()) {
            if (type.supports("list") && type.supports("watch")) {
                all.caches.put(key(type), new WatchCache(type, store, json, window).start());
            }
        }
        return all;
    }

    public Optional<WatchCache> forType(ResourceType type) {
        WatchCache cache = caches.get(key(type));
        return cache != null && cache.ready() ? Optional.of(cache) : Optional.empty();
    }

    private static String key(ResourceType type) {
        return type.group() + "/" + type.version() + "/" + type.plural();
    }

    @Override
    public void close() {
        caches.values().forEach(WatchCache::close);
    }
}
