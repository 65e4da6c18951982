package dev.skiff.apiserver.protobuf;

import java.util.List;
import java.util.Map;

/**
 * The protobuf schema of the Kubernetes API, as data: message types by qualified name ({@code core.Pod},
 * {@code meta.ObjectMeta}) and the top-level kinds by {@code apiVersion/kind}. Built once by {@link SchemaParser}
 * from the {@code *.schema} resources; immutable and thread-safe.
 */
record Schema(Map<String, MessageType> messages, Map<String, MessageType> kinds) {

    Schema {
        messages = Map.copyOf(messages);
        kinds = Map.copyOf(kinds);
    }

    /** The message type of a top-level object, or null if this schema does not know it. */
    MessageType kind(String apiVersion, String kind) {
        MessageType type = kinds.get(apiVersion + "/" + kind);
        if (type == null && OPTIONS_KINDS.contains(kind)) {
            // client-go registers the meta/v1 option types in every group version
            type = messages.get("meta." + kind);
        }
        return type;
    }

    private static final List<String> OPTIONS_KINDS = List.of("DeleteOptions");

    /** How a field's JSON value is written when the value on the wire is the zero value of its type. */
    enum Presence {
        /** A Go value field with {@code omitempty}: a zero value is left out (the default). */
        OMIT_EMPTY,
        /** A Go pointer ({@code *int32}, {@code *bool}, ...): present on the wire means set, even to zero. */
        POINTER,
        /** A Go value field without {@code omitempty}: always written, zero included. */
        ALWAYS
    }

    /** One field of a message: its number, JSON name, type and how zero values are written. */
    record Field(int number, String jsonName, FieldType type, Presence presence, boolean inline) {
    }

    /** A message type: its fields by number, and in declaration order (the JSON order). */
    record MessageType(String name, Map<Integer, Field> byNumber, List<Field> fields) {
    }

    /** The type of a field. */
    sealed interface FieldType permits Scalar, Message, Special, Repeated, MapOf {
    }

    /** The protobuf scalar kinds Kubernetes uses. */
    enum ScalarKind { STRING, BYTES, BOOL, INT32, INT64, DOUBLE }

    record Scalar(ScalarKind kind) implements FieldType {
    }

    /** A nested message, resolved lazily by name so that types may refer to each other in any order. */
    record Message(String typeName) implements FieldType {
    }

    /** A message with its own JSON form (Time, Quantity, IntOrString, ...). */
    record Special(SpecialKind kind) implements FieldType {
    }

    enum SpecialKind { TIME, MICRO_TIME, QUANTITY, INT_OR_STRING, RAW_EXTENSION, FIELDS_V1, DURATION, STRING_LIST }

    record Repeated(FieldType element) implements FieldType {
    }

    record MapOf(ScalarKind key, FieldType value) implements FieldType {
    }
}
