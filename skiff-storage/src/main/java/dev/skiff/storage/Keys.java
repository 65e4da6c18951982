package dev.skiff.storage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Argument checks shared by every engine, so bad input fails the same way everywhere and changes nothing. */
public final class Keys {

    /** Longest key accepted, in UTF-8 bytes (etcd accepts more; Kubernetes keys stay far below). */
    public static final int MAX_KEY_BYTES = 4096;

    /** Largest value accepted, in bytes: above the API server's 3 MiB request limit, below etcd's usual 1.5 MiB x 4. */
    public static final int MAX_VALUE_BYTES = 6 * 1024 * 1024;

    private Keys() {
    }

    /** Rejects null, empty, over-long keys and keys holding NUL (the embedded engine's separator). */
    public static String requireValidKey(String key) {
        if (key == null) {
            throw new IllegalArgumentException("key must not be null");
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        if (key.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("key must not contain the NUL character: '" + printable(key) + "'");
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "key is " + bytes + " bytes long; at most " + MAX_KEY_BYTES + " are allowed");
        }
        return key;
    }

    /** Rejects null and over-large values. */
    public static byte[] requireValidValue(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null");
        }
        if (value.length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException(
                    "value is " + value.length + " bytes; at most " + MAX_VALUE_BYTES + " are allowed");
        }
        return value;
    }

    /** Rejects negative revisions; 0 means "latest" where a method allows it. */
    public static long requireRevision(String name, long revision) {
        if (revision < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + revision);
        }
        return revision;
    }

    /** Rejects a modRevision to compare against that cannot exist (revisions start at 1). */
    public static long requireExpectedRevision(long expectedModRevision) {
        if (expectedModRevision <= 0) {
            throw new IllegalArgumentException(
                    "expectedModRevision must be positive (a revision returned by the store), was "
                            + expectedModRevision);
        }
        return expectedModRevision;
    }

    /** Rejects negative limits; 0 means "no limit". */
    public static int requireLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
        return limit;
    }

    /** Accepts null or zero (no expiry); rejects negative TTLs and TTLs below one second. */
    public static Duration requireTtl(Duration ttl) {
        if (ttl == null || ttl.isZero()) {
            return null;
        }
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must not be negative, was " + ttl);
        }
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("ttl must be at least one second, was " + ttl);
        }
        return ttl;
    }

    private static String printable(String key) {
        return key.replace("\0", "\\0");
    }
}
