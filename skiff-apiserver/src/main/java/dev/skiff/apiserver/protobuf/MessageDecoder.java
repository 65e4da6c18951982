package dev.skiff.apiserver.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.protobuf.Schema.Field;
import dev.skiff.apiserver.protobuf.Schema.FieldType;
import dev.skiff.apiserver.protobuf.Schema.MapOf;
import dev.skiff.apiserver.protobuf.Schema.Message;
import dev.skiff.apiserver.protobuf.Schema.MessageType;
import dev.skiff.apiserver.protobuf.Schema.Presence;
import dev.skiff.apiserver.protobuf.Schema.Repeated;
import dev.skiff.apiserver.protobuf.Schema.Scalar;
import dev.skiff.apiserver.protobuf.Schema.ScalarKind;
import dev.skiff.apiserver.protobuf.Schema.Special;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes one message's wire data into the JSON that Go's {@code encoding/json} writes for the same object: field
 * names from the schema, zero values left out where the Go field has {@code omitempty}, nested structs always
 * written (as Go does, {@code "resources": {}}), pointers written whenever set, and the special types in their JSON
 * forms. One instance per request body: it collects the unknown fields it skipped. Not thread-safe.
 */
final class MessageDecoder {

    private static final int MAX_DEPTH = 64;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Schema schema;
    private final Set<String> unknownFields;
    private int depth;

    MessageDecoder(Schema schema, Set<String> unknownFields) {
        this.schema = schema;
        this.unknownFields = unknownFields;
    }

    /** Decodes a whole message of the given type. */
    ObjectNode decode(MessageType type, WireReader in) {
        ObjectNode out = NODES.objectNode();
        decodeInto(type, in, out);
        return out;
    }

    private void decodeInto(MessageType type, WireReader in, ObjectNode out) {
        if (++depth > MAX_DEPTH) {
            throw new MalformedProtobufException("objects nested more than " + MAX_DEPTH + " deep");
        }
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int number = WireReader.fieldNumber(tag);
            int wireType = WireReader.wireType(tag);
            Field field = type.byNumber().get(number);
            if (field == null) {
                unknownFields.add(type.name() + "." + number);
                in.skip(wireType);
                continue;
            }
            readField(type, field, wireType, in, out);
        }
        for (Field field : type.fields()) {
            // a nil slice or map of a Go field without omitempty is JSON null; protobuf cannot tell nil from empty
            if (field.presence() == Presence.ALWAYS && (field.type() instanceof Repeated || field.type() instanceof MapOf)
                    && !out.has(field.jsonName())) {
                out.putNull(field.jsonName());
            }
        }
        reorder(type, out);
        depth--;
    }

    private void readField(MessageType type, Field field, int wireType, WireReader in, ObjectNode out) {
        String name = field.jsonName();
        switch (field.type()) {
            case Repeated repeated -> {
                JsonNode existing = out.get(name);
                ArrayNode array = existing instanceof ArrayNode a ? a : out.putArray(name);
                if (repeated.element() instanceof Scalar scalar && isPackable(scalar.kind())
                        && wireType == WireReader.LENGTH_DELIMITED) {
                    WireReader packed = in.readMessage();
                    while (!packed.atEnd()) {
                        array.add(scalar(scalar.kind(), expectedWireType(scalar.kind()), packed, type, field));
                    }
                } else {
                    array.add(value(repeated.element(), wireType, in, type, field));
                }
            }
            case MapOf map -> {
                expect(wireType, WireReader.LENGTH_DELIMITED, type, field);
                JsonNode existing = out.get(name);
                ObjectNode object = existing instanceof ObjectNode o ? o : out.putObject(name);
                readMapEntry(map, in.readMessage(), object, type, field);
            }
            case Message message when field.inline() -> {
                expect(wireType, WireReader.LENGTH_DELIMITED, type, field);
                decodeInto(messageType(message), in.readMessage(), out);
            }
            case Message message -> {
                expect(wireType, WireReader.LENGTH_DELIMITED, type, field);
                JsonNode existing = out.get(name);
                if (existing instanceof ObjectNode object) {
                    decodeInto(messageType(message), in.readMessage(), object); // protobuf merges repeats
                } else {
                    out.set(name, decode(messageType(message), in.readMessage()));
                }
            }
            case Special special -> {
                expect(wireType, WireReader.LENGTH_DELIMITED, type, field);
                out.set(name, SpecialTypes.decode(special.kind(), in.readMessage(), this));
            }
            case Scalar scalar -> {
                JsonNode value = scalar(scalar.kind(), wireType, in, type, field);
                if (field.presence() == Presence.OMIT_EMPTY && isZero(value)) {
                    out.remove(name);
                } else {
                    out.set(name, value);
                }
            }
        }
    }

    private void readMapEntry(MapOf map, WireReader entry, ObjectNode object, MessageType type, Field field) {
        String key = null;
        JsonNode value = null;
        for (int tag = entry.readTag(); tag != 0; tag = entry.readTag()) {
            int number = WireReader.fieldNumber(tag);
            if (number == 1) {
                key = scalar(map.key(), WireReader.wireType(tag), entry, type, field).asText();
            } else if (number == 2) {
                value = value(map.value(), WireReader.wireType(tag), entry, type, field);
            } else {
                entry.skip(WireReader.wireType(tag));
            }
        }
        object.set(key == null ? "" : key, value == null ? zeroValue(map.value()) : value);
    }

    /** A single value of a list element or map value. */
    private JsonNode value(FieldType element, int wireType, WireReader in, MessageType type, Field field) {
        return switch (element) {
            case Scalar scalar -> scalar(scalar.kind(), wireType, in, type, field);
            case Message message -> {
                expect(wireType, WireReader.LENGTH_DELIMITED, type, field);
                yield decode(messageType(message), in.readMessage());
            }
            case Special special -> {
                expect(wireType, WireReader.LENGTH_DELIMITED, type, field);
                yield SpecialTypes.decode(special.kind(), in.readMessage(), this);
            }
            default -> throw new IllegalStateException("nested collections are not in the Kubernetes API");
        };
    }

    private static JsonNode zeroValue(FieldType type) {
        return switch (type) {
            case Scalar scalar -> switch (scalar.kind()) {
                case STRING, BYTES -> NODES.textNode("");
                case BOOL -> NODES.booleanNode(false);
                case INT32, INT64 -> NODES.numberNode(0);
                case DOUBLE -> NODES.numberNode(0.0);
            };
            case Special special -> SpecialTypes.zero(special.kind());
            default -> NODES.objectNode();
        };
    }

    private JsonNode scalar(ScalarKind kind, int wireType, WireReader in, MessageType type, Field field) {
        expect(wireType, expectedWireType(kind), type, field);
        return switch (kind) {
            case STRING -> NODES.textNode(in.readString());
            case BYTES -> NODES.textNode(Base64.getEncoder().encodeToString(in.readBytes()));
            case BOOL -> NODES.booleanNode(in.readVarint() != 0);
            case INT32 -> NODES.numberNode((int) in.readVarint());
            case INT64 -> number(in.readVarint());
            case DOUBLE -> NODES.numberNode(Double.longBitsToDouble(in.readFixed64()));
        };
    }

    /** A JSON number as a JSON parser would build it: an int when it fits, else a long. */
    static JsonNode number(long value) {
        return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }

    private static int expectedWireType(ScalarKind kind) {
        return switch (kind) {
            case STRING, BYTES -> WireReader.LENGTH_DELIMITED;
            case BOOL, INT32, INT64 -> WireReader.VARINT;
            case DOUBLE -> WireReader.FIXED64;
        };
    }

    private static boolean isPackable(ScalarKind kind) {
        return kind != ScalarKind.STRING && kind != ScalarKind.BYTES;
    }

    private static void expect(int wireType, int expected, MessageType type, Field field) {
        if (wireType != expected) {
            throw new MalformedProtobufException("field " + field.number() + " ("
                    + (field.inline() ? "inline" : field.jsonName()) + ") of " + type.name()
                    + " has wire type " + wireType + ", expected " + expected);
        }
    }

    private static boolean isZero(JsonNode value) {
        if (value.isTextual()) {
            return value.textValue().isEmpty();
        }
        if (value.isBoolean()) {
            return !value.booleanValue();
        }
        if (value.isNumber()) {
            return value.doubleValue() == 0.0;
        }
        return false;
    }

    private MessageType messageType(Message message) {
        MessageType type = schema.messages().get(message.typeName());
        if (type == null) {
            throw new IllegalStateException("schema has no message " + message.typeName());
        }
        return type;
    }

    /** Parses JSON carried in bytes (RawExtension, FieldsV1); a nested protobuf envelope is decoded instead. */
    JsonNode embedded(byte[] raw, String what) {
        if (KubernetesProtobuf.hasMagic(raw)) {
            ++depth;
            try {
                return KubernetesProtobuf.decodeEnvelope(raw, schema, this);
            } finally {
                depth--;
            }
        }
        try {
            return JSON.readTree(raw);
        } catch (IOException e) {
            throw new MalformedProtobufException(what + " does not hold JSON: " + e.getMessage());
        }
    }

    /** Puts the fields in declaration order (Go's JSON order), inlined structs' fields at their place. */
    private void reorder(MessageType type, ObjectNode out) {
        if (out.size() < 2) {
            return;
        }
        List<String> order = new ArrayList<>(out.size());
        appendOrder(type, order, out);
        if (order.size() != out.size()) {
            return; // only possible with names shared by inlined structs; keep wire order then
        }
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(out.size());
        for (String name : order) {
            entries.add(Map.entry(name, out.get(name)));
        }
        out.removeAll();
        for (Map.Entry<String, JsonNode> e : entries) {
            out.set(e.getKey(), e.getValue());
        }
    }

    private void appendOrder(MessageType type, List<String> order, ObjectNode out) {
        for (Field field : type.fields()) {
            if (field.inline() && field.type() instanceof Message m) {
                appendOrder(messageType(m), order, out);
            } else if (out.has(field.jsonName()) && !order.contains(field.jsonName())) {
                order.add(field.jsonName());
            }
        }
    }
}
