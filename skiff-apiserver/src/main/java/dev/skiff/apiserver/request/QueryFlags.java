package dev.skiff.apiserver.request;

import java.util.Set;

/**
 * Boolean query parameters as kube-apiserver reads them (Go's {@code strconv.ParseBool}): "1", "t", "T", "TRUE",
 * "true" and "True" are true; anything else is false. Clients differ (the Python client sends {@code watch=True}).
 */
public final class QueryFlags {

    private static final Set<String> TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");

    private QueryFlags() {
    }

    public static boolean isTrue(String value) {
        return value != null && TRUE.contains(value);
    }
}
