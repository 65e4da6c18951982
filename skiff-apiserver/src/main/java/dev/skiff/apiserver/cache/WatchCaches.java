package dev.skiff.apiserver.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.resource.ResourceCatalog;
import dev.skiff.apiserver.resource.ResourceType;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link WatchCache} per listable resource: the built-in ones started together, others (custom resources) started
 * and stopped as they come and go. Thread-safe.
 */
public final class WatchCaches implements AutoCloseable {

    private final Map<String, WatchCache> caches = new ConcurrentHashMap<>();
    private final ObjectStore store;
    private final ObjectMapper json;
    private final int window;
    private final WatchSettings settings;

    private WatchCaches(ObjectStore store, ObjectMapper json, int window, WatchSettings settings) {
        this.store = store;
        this.json = json;
        this.window = window;
        this.settings = settings;
    }

    /** Starts a cache for every resource of {@code catalog} that can be listed, with the default watch settings. */
    public static WatchCaches start(ResourceCatalog catalog, ObjectStore store, ObjectMapper json, int window) {
        return start(catalog, store, json, window, WatchSettings.DEFAULTS);
    }

    /** Starts a cache for every resource of {@code catalog} that can be listed. */
    public static WatchCaches start(ResourceCatalog catalog, ObjectStore store, ObjectMapper json, int window,
            WatchSettings settings) {
        WatchCaches all = new WatchCaches(store, json, window, settings);
        for (ResourceType type : catalog.all()) {
            if (type.supports("list") && type.supports("watch")) {
                all.caches.put(key(type), new WatchCache(type, store, json, window).start());
            }
        }
        return all;
    }

    /**
     * Starts (or restarts, dropping the old one and ending its watches) the cache of {@code type}, a type that came
     * into service after start, such as a custom resource. Blocks for the initial list.
     */
    public void start(ResourceType type) {
        WatchCache previous = caches.put(key(type), new WatchCache(type, store, json, window).start());
        if (previous != null) {
            previous.close();
        }
    }

    /** Stops the cache of a type that is no longer served; its watches end and clients re-list. */
    public void stop(ResourceType type) {
        WatchCache cache = caches.remove(key(type));
        if (cache != null) {
            cache.close();
        }
    }

    /** The settings every watch follows, whether served from a cache or from storage. */
    public WatchSettings settings() {
        return settings;
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
