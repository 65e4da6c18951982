package dev.skiff.storage;

/** One change seen by a watch. Events of one watch arrive in strictly increasing revision order. */
public sealed interface WatchEvent {

    /** The revision of the write that produced this event. */
    long revision();

    /** The key that changed. */
    String key();

    /**
     * The key's value before the change, or null when the key did not exist before (a create). Engines keep enough
     * history that every event a watch can still deliver (revision at or above the compaction point) carries it.
     */
    KeyValue previous();

    /** A key was created or updated. {@code current.modRevision()} equals {@link #revision()}. */
    record Put(KeyValue current, KeyValue previous) implements WatchEvent {
        @Override
        public long revision() {
            return current.modRevision();
        }

        @Override
        public String key() {
            return current.key();
        }

        /** Whether this put created the key (rather than updating it). */
        public boolean created() {
            return current.version() == 1;
        }
    }

    /** A key was deleted, explicitly or because its TTL expired. */
    record Delete(String key, long revision, KeyValue previous) implements WatchEvent {
    }
}
