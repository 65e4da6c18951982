package dev.skiff.storage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The keys a list, count or watch covers. Keys order by their UTF-8 bytes (unsigned), as in etcd.
 */
public sealed interface KeyRange {

    /** Whether {@code key} lies in this range. */
    boolean contains(String key);

    /** Exactly one key. */
    static KeyRange exact(String key) {
        return new Exact(key);
    }

    /** Every key starting with {@code prefix}. */
    static KeyRange prefix(String prefix) {
        return new Prefix(prefix, null);
    }

    /** Every key starting with {@code prefix} that is at or after {@code fromKey}: a list continuation. */
    static KeyRange prefix(String prefix, String fromKey) {
        return new Prefix(prefix, fromKey);
    }

    /** Exactly one key. */
    record Exact(String key) implements KeyRange {
        public Exact {
            Keys.requireValidKey(key);
        }

        @Override
        public boolean contains(String candidate) {
            return key.equals(candidate);
        }
    }

    /**
     * Keys starting with {@code prefix}, optionally only those at or after {@code fromKey} (null: from the start).
     */
    record Prefix(String prefix, String fromKey) implements KeyRange {
        public Prefix {
            Keys.requireValidKey(prefix);
            if (fromKey != null) {
                Keys.requireValidKey(fromKey);
                if (!fromKey.startsWith(prefix)) {
                    throw new IllegalArgumentException(
                            "fromKey '" + fromKey + "' does not start with the range prefix '" + prefix + "'");
                }
            }
        }

        @Override
        public boolean contains(String candidate) {
            if (!candidate.startsWith(prefix)) {
                return false;
            }
            return fromKey == null || compareUtf8(candidate, fromKey) >= 0;
        }

        /** The key a scan starts at: {@code fromKey} if set, else the prefix itself. */
        public String startKey() {
            return fromKey != null ? fromKey : prefix;
        }
    }

    /** Compares two keys by their UTF-8 bytes, unsigned, which is the order every engine lists in. */
    static int compareUtf8(String a, String b) {
        Objects.requireNonNull(a);
        Objects.requireNonNull(b);
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
