package dev.skiff.apiserver.cache;

import java.util.Map;

/**
 * One object as the cache keeps it: its JSON (with resourceVersion set), and the labels and selectable fields that
 * filters need, so serving it needs no parsing.
 */
public record CachedObject(String namespace, String name, byte[] json, long revision, Map<String, String> labels,
        Map<String, String> fields) {
}
