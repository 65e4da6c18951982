package dev.skiff.storage.embedded;

import dev.skiff.storage.KeyValue;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One version of a key as kept on disk: a live value or a deletion marker (tombstone).
 *
 * <p>Encoding: 1 flag byte (bit 0: tombstone), then createRevision, modRevision, version and expiresAtMillis as
 * 8-byte big-endian longs, then the value bytes. Tombstones keep only the revision of the delete in modRevision.
 *
 * @param expiresAtMillis wall-clock deadline of a key with a TTL, 0 for none
 */
record StoredRecord(boolean tombstone, long createRevision, long modRevision, long version, long expiresAtMillis,
        byte[] value) {

    private static final int HEADER = 1 + 4 * Long.BYTES;
    private static final byte[] EMPTY = new byte[0];

    static StoredRecord live(long createRevision, long modRevision, long version, long expiresAtMillis,
            byte[] value) {
        return new StoredRecord(false, createRevision, modRevision, version, expiresAtMillis, value);
    }

    static StoredRecord tombstone(long deleteRevision) {
        return new StoredRecord(true, 0, deleteRevision, 0, 0, EMPTY);
    }

    byte[] encode() {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + value.length);
        buffer.put((byte) (tombstone ? 1 : 0));
        buffer.putLong(createRevision).putLong(modRevision).putLong(version).putLong(expiresAtMillis);
        buffer.put(value);
        return buffer.array();
    }

    static StoredRecord decode(byte[] bytes) {
        if (bytes.length < HEADER) {
            throw new IllegalStateException("corrupt record: " + bytes.length + " bytes, header needs " + HEADER);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        boolean tombstone = (buffer.get() & 1) != 0;
        long create = buffer.getLong();
        long mod = buffer.getLong();
        long version = buffer.getLong();
        long expires = buffer.getLong();
        byte[] value = Arrays.copyOfRange(bytes, HEADER, bytes.length);
        return new StoredRecord(tombstone, create, mod, version, expires, value);
    }

    /**
     * Decodes a live record straight into a {@link KeyValue}, copying the value once out of {@code encoded} (a
     * buffer positioned at the record's start and limited to its end). Returns null for a tombstone.
     */
    static KeyValue decodeKeyValue(String key, ByteBuffer encoded) {
        if (encoded.remaining() < HEADER) {
            throw new IllegalStateException("corrupt record for " + key + ": " + encoded.remaining() + " bytes");
        }
        if ((encoded.get() & 1) != 0) {
            return null;
        }
        long create = encoded.getLong();
        long mod = encoded.getLong();
        long version = encoded.getLong();
        encoded.getLong();
        byte[] value = new byte[encoded.remaining()];
        encoded.get(value);
        return new KeyValue(key, value, create, mod, version);
    }

    KeyValue toKeyValue(String key) {
        if (tombstone) {
            throw new IllegalStateException("a tombstone has no value: " + key);
        }
        return new KeyValue(key, value, createRevision, modRevision, version);
    }
}
