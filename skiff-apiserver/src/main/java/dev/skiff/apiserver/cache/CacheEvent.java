package dev.skiff.apiserver.cache;

import dev.skiff.apiserver.registry.ObjectEvent;

/**
 * One change in the cache window: the object after it (for a delete, its last state stamped with the delete's
 * revision) and before it (null for an add).
 */
public record CacheEvent(ObjectEvent.Type type, CachedObject current, CachedObject previous, long revision) {
}
