package dev.skiff.apiserver.openapi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code /openapi/v2} document in the only form client-go asks for:
 * {@code application/com.github.proto-openapi.spec.v2@v1.0+protobuf}, i.e. gnostic's {@code openapi.v2.Document}
 * message.
 *
 * <p>It deliberately carries only {@code swagger}, {@code info} and empty {@code paths}: no definitions. kubectl reads
 * it for client-side validation of what the v3 verifier cannot vouch for (documents of {@code kind: List}, create-only
 * kinds such as TokenReview), and for a kind it finds no definition of it skips validation, as upstream does for
 * unknown kinds; the server still validates, because kubectl sends {@code fieldValidation=Strict} with every
 * write. Definitions as minimal as Skiff's would make that client-side check reject valid fields. Without this
 * document kubectl fails those commands with "failed to download openapi". Encoded by hand (field numbers of
 * gnostic's OpenAPIv2.proto: Document.swagger 1, info 2, paths 8; Info.title 1, version 2), so no protobuf runtime
 * is needed. Stateless and thread-safe.
 */
final class SwaggerProtobuf {

    private static final int LENGTH_DELIMITED = 2;

    private SwaggerProtobuf() {
    }

    /** The encoded {@code openapi.v2.Document} with the given info version. */
    static byte[] document(String title, String version) {
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        string(info, 1, title);
        string(info, 2, version);
        ByteArrayOutputStream doc = new ByteArrayOutputStream();
        string(doc, 1, "2.0");
        bytes(doc, 2, info.toByteArray());
        bytes(doc, 8, new byte[0]);
        return doc.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, int field, String value) {
        bytes(out, field, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(ByteArrayOutputStream out, int field, byte[] value) {
        varint(out, ((long) field << 3) | LENGTH_DELIMITED);
        varint(out, value.length);
        out.writeBytes(value);
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
