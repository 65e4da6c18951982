package dev.skiff.control.controller.gc;

/**
 * What one owner reference resolves to, as upstream's {@code classifyReferences} sorts them.
 */
public enum OwnerState {
    /** The owner exists with the referenced uid and is not waiting for its dependents. */
    SOLID,
    /** No object of that name and uid exists where the reference points (upstream's "dangling"). */
    DANGLING,
    /** The owner exists and is being deleted in the foreground: it waits for this dependent to go. */
    WAITING_FOR_DEPENDENTS,
    /**
     * The reference cannot be valid: a cluster-scoped object naming a namespaced owner. Upstream never collects
     * such an object and reports {@code OwnerRefInvalidNamespace}.
     */
    UNRESOLVABLE
}
