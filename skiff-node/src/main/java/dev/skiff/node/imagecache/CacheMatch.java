package dev.skiff.node.imagecache;

/** What {@link ImageCacheMatcher} found for a pod. */
public sealed interface CacheMatch {

    /** The pod asks for no image cache. */
    record NotRequested() implements CacheMatch {
    }

    /** The pod starts from this Ready cache: its images are on the node and need no pull. */
    record Matched(String imageCacheId, String cacheName) implements CacheMatch {
    }

    /** The pod asked for a cache and none fits; it pulls as usual, and the message says why (for an event). */
    record Unmatched(String message) implements CacheMatch {
    }
}
