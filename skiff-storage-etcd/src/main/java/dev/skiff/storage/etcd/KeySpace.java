package dev.skiff.storage.etcd;

import dev.skiff.storage.KeyRange;
import io.etcd.jetcd.ByteSequence;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Translates SPI keys to etcd keys under one prefix, and back.
 *
 * <p>Every key is stored as {@code prefix + key} (UTF-8); ranges become etcd's half-open {@code [key, rangeEnd)}.
 * Because a range is always built from a non-empty SPI prefix appended to the store prefix, no range ever reaches a
 * key outside the store prefix: that is what keeps stores (and tests) sharing one etcd out of each other's way.
 *
 * @param prefix the store prefix in UTF-8; may be empty (then keys are stored as they are)
 */
record KeySpace(byte[] prefix) {

    /** An etcd key range: {@code end} null means exactly {@code start}. */
    record Bounds(ByteSequence start, ByteSequence end) {
    }

    static KeySpace of(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("key prefix must not be null (use \"\" for none)");
        }
        if (prefix.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("key prefix must not contain the NUL character");
        }
        return new KeySpace(prefix.getBytes(StandardCharsets.UTF_8));
    }

    ByteSequence key(String key) {
        return ByteSequence.from(concat(prefix, key.getBytes(StandardCharsets.UTF_8)));
    }

    Bounds bounds(KeyRange range) {
        return switch (range) {
            case KeyRange.Exact exact -> new Bounds(key(exact.key()), null);
            case KeyRange.Prefix p -> new Bounds(key(p.startKey()),
                    ByteSequence.from(prefixEnd(concat(prefix, p.prefix().getBytes(StandardCharsets.UTF_8)))));
        };
    }

    /** The SPI key of an etcd key that lies under this prefix. */
    String strip(ByteSequence etcdKey) {
        byte[] bytes = etcdKey.getBytes();
        if (bytes.length < prefix.length || !Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length)) {
            // Cannot happen for keys read through our own ranges; fail loudly rather than leak a foreign key.
            throw new IllegalStateException("etcd returned a key outside the store prefix: "
                    + new String(bytes, StandardCharsets.UTF_8));
        }
        return new String(bytes, prefix.length, bytes.length - prefix.length, StandardCharsets.UTF_8);
    }

    /** The key just after {@code key} in byte order: where a scan continues after it. */
    static ByteSequence successor(ByteSequence key) {
        return key.concat(ByteSequence.from(new byte[] {0}));
    }

    /**
     * The smallest key greater than every key starting with {@code start} (etcd's "prefix end"): the last byte that
     * is not 0xff, incremented, with what follows it dropped. Valid UTF-8 never holds 0xff, so for our keys the
     * all-0xff case cannot arise; it maps to etcd's "\0" (no upper bound) to stay total.
     */
    static byte[] prefixEnd(byte[] start) {
        for (int i = start.length - 1; i >= 0; i--) {
            if (start[i] != (byte) 0xff) {
                byte[] end = Arrays.copyOf(start, i + 1);
                end[i]++;
                return end;
            }
        }
        return new byte[] {0};
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
