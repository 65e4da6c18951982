package dev.skiff.apiserver.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.skiff.apiserver.protobuf.Schema.SpecialKind;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The apimachinery types whose JSON is not their protobuf structure: {@code metav1.Time} and {@code MicroTime}
 * ({@code Timestamp {1: seconds, 2: nanos}} → RFC 3339 in UTC, null when zero), {@code resource.Quantity}
 * ({@code {1: string}} → the string), {@code intstr.IntOrString} ({@code {1: type, 2: intVal, 3: strVal}} → number or
 * string), {@code runtime.RawExtension} and {@code metav1.FieldsV1} ({@code {1: raw}} → the JSON they carry) and
 * {@code metav1.Duration} ({@code {1: nanoseconds}} → Go's duration string) and the review {@code ExtraValue}s
 * ({@code {1: repeated string}} → the list). Stateless.
 */
final class SpecialTypes {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private SpecialTypes() {
    }

    static JsonNode decode(SpecialKind kind, WireReader in, MessageDecoder decoder) {
        return switch (kind) {
            case TIME -> time(in, SECONDS);
            case MICRO_TIME -> time(in, MICROS);
            case QUANTITY -> quantity(in);
            case INT_OR_STRING -> intOrString(in);
            case RAW_EXTENSION -> raw(in, decoder, "runtime.RawExtension");
            case FIELDS_V1 -> raw(in, decoder, "metav1.FieldsV1");
            case DURATION -> NODES.textNode(goDuration(firstVarint(in)));
            case STRING_LIST -> strings(in);
        };
    }

    /** What a map value of this kind is when the entry carries none. */
    static JsonNode zero(SpecialKind kind) {
        return switch (kind) {
            case TIME, MICRO_TIME, RAW_EXTENSION, FIELDS_V1 -> NODES.nullNode();
            case QUANTITY -> NODES.textNode("0");
            case INT_OR_STRING -> NODES.numberNode(0);
            case DURATION -> NODES.textNode("0s");
            case STRING_LIST -> NODES.arrayNode();
        };
    }

    private static JsonNode time(WireReader in, DateTimeFormatter format) {
        if (in.atEnd()) {
            return NODES.nullNode(); // the zero time marshals to an empty message, and to JSON null
        }
        long seconds = 0;
        long nanos = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireReader.fieldNumber(tag)) {
                case 1 -> seconds = varint(in, tag, "Timestamp.seconds");
                case 2 -> nanos = (int) varint(in, tag, "Timestamp.nanos");
                default -> in.skip(WireReader.wireType(tag));
            }
        }
        if (nanos < 0 || nanos > 999_999_999) {
            throw new MalformedProtobufException("timestamp nanos out of range: " + nanos);
        }
        try {
            return NODES.textNode(format.format(Instant.ofEpochSecond(seconds, nanos)));
        } catch (java.time.DateTimeException e) {
            throw new MalformedProtobufException("timestamp out of range: " + seconds);
        }
    }

    private static JsonNode quantity(WireReader in) {
        String value = "0";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireReader.fieldNumber(tag) == 1 && WireReader.wireType(tag) == WireReader.LENGTH_DELIMITED) {
                value = in.readString();
            } else {
                in.skip(WireReader.wireType(tag));
            }
        }
        return NODES.textNode(value.isEmpty() ? "0" : value);
    }

    private static JsonNode intOrString(WireReader in) {
        long type = 0;
        int intVal = 0;
        String strVal = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireReader.fieldNumber(tag)) {
                case 1 -> type = varint(in, tag, "IntOrString.type");
                case 2 -> intVal = (int) varint(in, tag, "IntOrString.intVal");
                case 3 -> {
                    if (WireReader.wireType(tag) != WireReader.LENGTH_DELIMITED) {
                        throw new MalformedProtobufException("IntOrString.strVal is not a string");
                    }
                    strVal = in.readString();
                }
                default -> in.skip(WireReader.wireType(tag));
            }
        }
        return type == 1 ? NODES.textNode(strVal) : NODES.numberNode(intVal);
    }

    private static JsonNode strings(WireReader in) {
        ArrayNode items = NODES.arrayNode();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireReader.fieldNumber(tag) == 1 && WireReader.wireType(tag) == WireReader.LENGTH_DELIMITED) {
                items.add(in.readString());
            } else {
                in.skip(WireReader.wireType(tag));
            }
        }
        return items;
    }

    private static JsonNode raw(WireReader in, MessageDecoder decoder, String what) {
        byte[] raw = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireReader.fieldNumber(tag) == 1 && WireReader.wireType(tag) == WireReader.LENGTH_DELIMITED) {
                raw = in.readBytes();
            } else {
                in.skip(WireReader.wireType(tag));
            }
        }
        if (raw == null || raw.length == 0) {
            return NODES.nullNode();
        }
        return decoder.embedded(raw, what);
    }

    private static long firstVarint(WireReader in) {
        long value = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireReader.fieldNumber(tag) == 1) {
                value = varint(in, tag, "Duration.duration");
            } else {
                in.skip(WireReader.wireType(tag));
            }
        }
        return value;
    }

    private static long varint(WireReader in, int tag, String what) {
        if (WireReader.wireType(tag) != WireReader.VARINT) {
            throw new MalformedProtobufException(what + " is not a varint");
        }
        return in.readVarint();
    }

    /** Go's {@code time.Duration.String()}: "1h2m3.5s", "1.5ms", "0s". */
    static String goDuration(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        boolean negative = nanos < 0;
        // magnitude as unsigned, so that Long.MIN_VALUE works as in Go
        long u = negative ? -nanos : nanos;
        if (Long.compareUnsigned(u, 1_000_000_000L) < 0) {
            String unit;
            long scale;
            if (u < 1_000L) {
                return (negative ? "-" : "") + u + "ns";
            } else if (u < 1_000_000L) {
                unit = "µs";
                scale = 1_000L;
            } else {
                unit = "ms";
                scale = 1_000_000L;
            }
            out.append(fraction(u, scale)).append(unit);
        } else {
            long seconds = Long.divideUnsigned(u, 1_000_000_000L);
            long frac = Long.remainderUnsigned(u, 1_000_000_000L);
            long hours = seconds / 3600;
            long minutes = seconds / 60 % 60;
            long secs = seconds % 60;
            if (hours > 0) {
                out.append(hours).append('h');
            }
            if (hours > 0 || minutes > 0) {
                out.append(minutes).append('m');
            }
            out.append(secs);
            if (frac != 0) {
                out.append('.').append(trimZeros(String.format("%09d", frac)));
            }
            out.append('s');
        }
        return (negative ? "-" : "") + out;
    }

    private static String fraction(long value, long scale) {
        long whole = value / scale;
        long rest = value % scale;
        if (rest == 0) {
            return Long.toString(whole);
        }
        int digits = Long.toString(scale).length() - 1;
        return whole + "." + trimZeros(String.format("%0" + digits + "d", rest));
    }

    private static String trimZeros(String digits) {
        int end = digits.length();
        while (end > 0 && digits.charAt(end - 1) == '0') {
            end--;
        }
        return digits.substring(0, end);
    }
}
