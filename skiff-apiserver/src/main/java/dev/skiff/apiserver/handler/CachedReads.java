package dev.skiff.apiserver.handler;

import dev.skiff.apiserver.cache.CachedObject;
import dev.skiff.apiserver.cache.WatchCache;
import dev.skiff.apiserver.cache.WatchCaches;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.resource.ResourceType;
import java.util.Optional;

/**
 * GET answered with the watch cache's bytes when they are exactly what storage holds now.
 *
 * <p>A GET without a resourceVersion must be as fresh as storage (kube-apiserver reads etcd for it), so storage is
 * still read: but only for the key's revision. When the cache holds the object at that very revision, its JSON is
 * what decoding the stored value and encoding it again would produce, and the response is those bytes; the parse
 * and the encode were most of a GET's own CPU. Otherwise (the cache lags by a moment, the object is gone, or a read
 * hook reshapes the type, as for custom resources whose schema may have changed since) the caller reads storage.
 */
final class CachedReads {

    private CachedReads() {
    }

    /** The current object's JSON from the cache, if it is storage's current revision of it; else empty. */
    static Optional<byte[]> current(ObjectStore store, WatchCaches caches, ResourceType type, String namespace,
            String name) {
        if (!store.readAsStored(type)) {
            return Optional.empty();
        }
        WatchCache cache = caches.forType(type).orElse(null);
        if (cache == null) {
            return Optional.empty();
        }
        Optional<CachedObject> cached = cache.get(namespace, name);
        if (cached.isEmpty()) {
            return Optional.empty();
        }
        long stored = store.modRevision(type, namespace, name);
        return stored != 0 && stored == cached.get().revision() ? Optional.of(cached.get().json()) : Optional.empty();
    }
}
