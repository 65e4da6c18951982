package dev.skiff.apiserver.openapi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the server's strategic merge patch does with each list of the built-in kinds, published in the schemas as
 * upstream publishes its {@code patchMergeKey} / {@code patchStrategy} facts ({@code x-kubernetes-patch-merge-key},
 * {@code x-kubernetes-patch-strategy}). Implementations must be pure and thread-safe.
 */
@FunctionalInterface
public interface ListMergeFacts {

    /** No list merges: every list is replaced whole. */
    ListMergeFacts NONE = (kind, path, field) -> Optional.empty();

    /**
     * How list field {@code field} of {@code kind} merges, given the names of the fields above it ({@code path},
     * outermost first: {@code [spec, containers]} for a Pod's container ports); empty when the patch's list
     * replaces the original.
     */
    Optional<ListMerge> forList(String kind, List<String> path, String field);

    /**
     * A merged list.
     *
     * @param mergeKey the field whose value identifies an element (objects merged by key), or null for a list of
     *                 primitives merged as a set
     */
    record ListMerge(String mergeKey) {

        /** Objects merged when their {@code key} fields are equal. */
        public static ListMerge byKey(String key) {
            return new ListMerge(Objects.requireNonNull(key, "key"));
        }

        /** Primitives; the result is the union. */
        public static ListMerge primitiveSet() {
            return new ListMerge(null);
        }
    }
}
