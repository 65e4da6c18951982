package dev.skiff.storage;

import java.util.Arrays;
import java.util.Objects;

/**
 * One key's value as stored at some revision, with etcd's bookkeeping.
 *
 * <p>The value array is shared, not copied: neither the engine nor callers may modify it after handing it over.
 *
 * @param key            the key, never empty
 * @param value          the stored bytes (possibly empty, never null)
 * @param createRevision revision of the write that created this incarnation of the key
 * @param modRevision    revision of the last write to the key; the token for compare-and-swap
 * @param version        number of writes since the key was (re)created, starting at 1
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version) {

    public KeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue other
                && key.equals(other.key)
                && createRevision == other.createRevision
                && modRevision == other.modRevision
                && version == other.version
                && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, createRevision, modRevision, version, Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return "KeyValue[" + key + ", create=" + createRevision + ", mod=" + modRevision + ", version=" + version
                + ", " + value.length + " bytes]";
    }
}
