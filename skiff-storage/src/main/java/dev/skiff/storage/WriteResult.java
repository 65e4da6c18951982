package dev.skiff.storage;

/**
 * The outcome of a create, update or delete. Exactly one of these; only {@link Committed} changed the store.
 */
public sealed interface WriteResult {

    /**
     * The write happened.
     *
     * @param revision the new store revision, which is also the written key's modRevision
     * @param previous the key's value before the write, or null for a create
     * @param current  the key's value after the write, or null for a delete
     */
    record Committed(long revision, KeyValue previous, KeyValue current) implements WriteResult {
    }

    /** A create found the key already present; nothing changed. */
    record KeyExists(KeyValue current) implements WriteResult {
    }

    /** An update or delete found no such key; nothing changed. */
    record KeyMissing(String key) implements WriteResult {
    }

    /**
     * A guarded update or delete found the key at another modRevision than expected; nothing changed.
     *
     * @param current the key's value now, to retry against
     */
    record RevisionMismatch(KeyValue current) implements WriteResult {
    }

    /** Whether the write happened. */
    default boolean committed() {
        return this instanceof Committed;
    }
}
