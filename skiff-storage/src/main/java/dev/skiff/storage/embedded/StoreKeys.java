package dev.skiff.storage.embedded;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Byte layouts of the RocksDB keys. User keys never contain NUL (checked by {@link dev.skiff.storage.Keys}), so
 * {@code key NUL revision} sorts by key first, then by revision, and no key's history interleaves another's.
 */
final class StoreKeys {

    static final byte[] META_REVISION = "revision".getBytes(StandardCharsets.US_ASCII);
    static final byte[] META_COMPACT = "compact".getBytes(StandardCharsets.US_ASCII);

    private StoreKeys() {
    }

    static byte[] utf8(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    static String string(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    static byte[] longBytes(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    static long longOf(byte[] bytes) {
        return ByteBuffer.wrap(bytes).getLong();
    }

    /** {@code key NUL revision}: one version in the {@code hist} family. */
    static byte[] histKey(byte[] key, long revision) {
        return ByteBuffer.allocate(key.length + 1 + Long.BYTES).put(key).put((byte) 0).putLong(revision).array();
    }

    static String histUserKey(byte[] histKey) {
        return new String(histKey, 0, histKey.length - 1 - Long.BYTES, StandardCharsets.UTF_8);
    }

    static byte[] histUserKeyBytes(byte[] histKey) {
        return Arrays.copyOf(histKey, histKey.length - 1 - Long.BYTES);
    }

    static long histRevision(byte[] histKey) {
        return ByteBuffer.wrap(histKey, histKey.length - Long.BYTES, Long.BYTES).getLong();
    }

    /** The first hist key after every version of {@code key}: {@code key 0x01}. */
    static byte[] histAfterKey(byte[] key) {
        byte[] next = Arrays.copyOf(key, key.length + 1);
        next[key.length] = 1;
        return next;
    }

    /** {@code deadline key}: one expiring key in the {@code ttl} family, ordered by deadline. */
    static byte[] ttlKey(long expiresAtMillis, byte[] key) {
        return ByteBuffer.allocate(Long.BYTES + key.length).putLong(expiresAtMillis).put(key).array();
    }

    static long ttlDeadline(byte[] ttlKey) {
        return ByteBuffer.wrap(ttlKey, 0, Long.BYTES).getLong();
    }

    static String ttlUserKey(byte[] ttlKey) {
        return new String(ttlKey, Long.BYTES, ttlKey.length - Long.BYTES, StandardCharsets.UTF_8);
    }

    static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }
}
