package dev.skiff.apiserver.protobuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reader of the protobuf wire format over a slice of a byte array: tags, varints, 64-bit and 32-bit fixed values
 * and length-delimited payloads. It knows nothing of schemas. Every read checks bounds and fails with
 * {@link MalformedProtobufException}, never with an index exception. Not thread-safe (it has a position); cheap to
 * create, one per message being decoded.
 */
final class WireReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int START_GROUP = 3;
    static final int END_GROUP = 4;
    static final int FIXED32 = 5;

    private final byte[] buffer;
    private final int limit;
    private int position;

    WireReader(byte[] buffer) {
        this(buffer, 0, buffer.length);
    }

    WireReader(byte[] buffer, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("slice out of range");
        }
        this.buffer = buffer;
        this.position = offset;
        this.limit = offset + length;
    }

    boolean atEnd() {
        return position >= limit;
    }

    /** The next tag (field number and wire type), or 0 at the end of the slice. */
    int readTag() {
        if (atEnd()) {
            return 0;
        }
        long tag = readVarint();
        if (tag >>> 32 != 0 || (tag >>> 3) == 0) {
            throw new MalformedProtobufException("invalid field tag " + Long.toUnsignedString(tag));
        }
        return (int) tag;
    }

    static int fieldNumber(int tag) {
        return tag >>> 3;
    }

    static int wireType(int tag) {
        return tag & 7;
    }

    long readVarint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= limit) {
                throw truncated();
            }
            byte b = buffer[position++];
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new MalformedProtobufException("varint longer than 10 bytes");
    }

    long readFixed64() {
        require(8);
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (buffer[position + i] & 0xFFL);
        }
        position += 8;
        return value;
    }

    int readFixed32() {
        require(4);
        int value = 0;
        for (int i = 3; i >= 0; i--) {
            value = (value << 8) | (buffer[position + i] & 0xFF);
        }
        position += 4;
        return value;
    }

    /** A reader over the next length-delimited payload; this reader moves past it. */
    WireReader readMessage() {
        int length = readLength();
        WireReader sub = new WireReader(buffer, position, length);
        position += length;
        return sub;
    }

    byte[] readBytes() {
        int length = readLength();
        byte[] bytes = Arrays.copyOfRange(buffer, position, position + length);
        position += length;
        return bytes;
    }

    /**
     * A length-delimited string. Bytes that are not UTF-8 become U+FFFD, as Go's JSON encoder would print them
     * (Kubernetes' protobuf code does not validate UTF-8).
     */
    String readString() {
        int length = readLength();
        String s = new String(buffer, position, length, StandardCharsets.UTF_8);
        position += length;
        return s;
    }

    /** Skips the value of a field with the given wire type (groups are rejected: Kubernetes never uses them). */
    void skip(int wireType) {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> {
                require(8);
                position += 8;
            }
            case LENGTH_DELIMITED -> {
                int length = readLength(); // first: "position += readLength()" would add to the old position
                position += length;
            }
            case FIXED32 -> {
                require(4);
                position += 4;
            }
            default -> throw new MalformedProtobufException("unsupported wire type " + wireType);
        }
    }

    private int readLength() {
        long length = readVarint();
        if (length < 0 || length > limit - position) {
            throw truncated();
        }
        return (int) length;
    }

    private void require(int bytes) {
        if (limit - position < bytes) {
            throw truncated();
        }
    }

    private static MalformedProtobufException truncated() {
        return new MalformedProtobufException("unexpected end of protobuf data");
    }
}
