package dev.skiff.apiserver.protobuf;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.protobuf.Schema.MessageType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decodes request bodies in the Kubernetes protobuf encoding ({@value #MEDIA_TYPE}) into the JSON the same object
 * has in Kubernetes' JSON encoding, so that the rest of the API server deals in JSON only.
 *
 * <p>A body is the 4-byte magic {@code k8s\0} followed by a {@code runtime.Unknown} message: {@code 1: typeMeta
 * {1: apiVersion, 2: kind}, 2: raw (the object's own message), 3: contentEncoding, 4: contentType}. The object is
 * decoded with the schema of its apiVersion and kind (see the {@code *.schema} resources of this package) and gets
 * {@code kind} and {@code apiVersion} from the envelope. Fields the schema does not know are skipped, as protobuf
 * readers must for forward compatibility; {@link #decodeReportingUnknownFields} names them.
 *
 * <p>Only decoding: Kubernetes clients that send protobuf also accept JSON responses.
 *
 * <p>Stateless and thread-safe: the schema is loaded once, immutable, and every call decodes with its own state.
 */
public final class KubernetesProtobuf {

    /** The media type of Kubernetes protobuf bodies. */
    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

    private static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};

    private static final List<String> SCHEMAS = List.of(
            "meta-v1.schema",
            "core-v1.schema",
            "core-v1-pod.schema",
            "core-v1-volumes.schema",
            "apps-v1.schema",
            "batch-v1.schema",
            "autoscaling.schema",
            "rbac-v1.schema",
            "policy-v1.schema",
            "networking-v1.schema",
            "reviews.schema",
            "small-groups.schema");

    /** The result of a decode: the object, and the unknown fields skipped ({@code message.number}, sorted). */
    public record Decoded(ObjectNode object, List<String> unknownFields) {
        public Decoded {
            unknownFields = List.copyOf(unknownFields);
        }
    }

    private KubernetesProtobuf() {
    }

    private static final class Holder {
        static final Schema SCHEMA = SchemaParser.load(SCHEMAS);
    }

    static Schema schema() {
        return Holder.SCHEMA;
    }

    /**
     * Decodes a protobuf request body into the object's JSON form.
     *
     * @throws MalformedProtobufException if the body is not the magic number and a well-formed envelope holding a
     *     well-formed object of a known apiVersion and kind
     */
    public static ObjectNode decode(byte[] body) {
        return decodeReportingUnknownFields(body).object();
    }

    /** Like {@link #decode}, also naming the fields skipped because the schema has no such field number. */
    public static Decoded decodeReportingUnknownFields(byte[] body) {
        Set<String> unknown = new LinkedHashSet<>();
        MessageDecoder decoder = new MessageDecoder(schema(), unknown);
        ObjectNode object = decodeEnvelope(body, schema(), decoder);
        return new Decoded(object, unknown.stream().sorted().toList());
    }

    /** Whether bodies of this apiVersion and kind can be decoded. */
    public static boolean supports(String apiVersion, String kind) {
        return schema().kind(apiVersion, kind) != null;
    }

    /** Whether {@code contentType} (parameters allowed) is the Kubernetes protobuf media type. */
    public static boolean isProtobuf(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return media.equalsIgnoreCase(MEDIA_TYPE);
    }

    static boolean hasMagic(byte[] body) {
        if (body == null || body.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (body[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    static ObjectNode decodeEnvelope(byte[] body, Schema schema, MessageDecoder decoder) {
        if (body == null || body.length == 0) {
            throw new MalformedProtobufException("empty protobuf body");
        }
        if (!hasMagic(body)) {
            throw new MalformedProtobufException("protobuf body does not start with the Kubernetes magic number");
        }
        WireReader in = new WireReader(body, MAGIC.length, body.length - MAGIC.length);
        String apiVersion = "";
        String kind = "";
        WireReader raw = null;
        String contentEncoding = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int number = WireReader.fieldNumber(tag);
            int wireType = WireReader.wireType(tag);
            if (number >= 1 && number <= 4 && wireType != WireReader.LENGTH_DELIMITED) {
                throw new MalformedProtobufException("runtime.Unknown field " + number + " has wire type " + wireType);
            }
            switch (number) {
                case 1 -> {
                    WireReader typeMeta = in.readMessage();
                    for (int t = typeMeta.readTag(); t != 0; t = typeMeta.readTag()) {
                        int n = WireReader.fieldNumber(t);
                        if ((n == 1 || n == 2) && WireReader.wireType(t) == WireReader.LENGTH_DELIMITED) {
                            String value = typeMeta.readString();
                            if (n == 1) {
                                apiVersion = value;
                            } else {
                                kind = value;
                            }
                        } else {
                            typeMeta.skip(WireReader.wireType(t));
                        }
                    }
                }
                case 2 -> raw = in.readMessage();
                case 3 -> contentEncoding = in.readString();
                case 4 -> in.readString(); // contentType: always empty or protobuf in practice
                default -> in.skip(wireType);
            }
        }
        if (!contentEncoding.isEmpty()) {
            throw new MalformedProtobufException("unsupported content encoding " + contentEncoding);
        }
        if (kind.isEmpty()) {
            throw new MalformedProtobufException("protobuf body has no kind");
        }
        MessageType type = schema.kind(apiVersion, kind);
        if (type == null) {
            throw new MalformedProtobufException("no protobuf schema for kind \"" + kind + "\" in version \""
                    + apiVersion + "\"");
        }
        ObjectNode fields = decoder.decode(type, raw == null ? new WireReader(new byte[0]) : raw);
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.put("kind", kind);
        object.put("apiVersion", apiVersion);
        object.setAll(fields);
        return object;
    }
}
