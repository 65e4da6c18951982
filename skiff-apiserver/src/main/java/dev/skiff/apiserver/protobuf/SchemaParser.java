package dev.skiff.apiserver.protobuf;

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
import dev.skiff.apiserver.protobuf.Schema.SpecialKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the schema resources: a small line-oriented text format, one field a line, so that a table reads like the
 * {@code generated.proto} it was written from.
 *
 * <pre>
 * package core                       # the package the following names belong to
 * kinds v1 ConfigMap Secret          # top-level kinds of an apiVersion (message name = kind)
 * message ConfigMap                  # a message; its fields follow, indented
 *   1 metadata meta.ObjectMeta       # number, JSON name, type
 *   4 immutable *bool                # '*': a Go pointer, written even when false/0/""
 *   2 data map[string]string         # maps and '[]' lists; "X!" : a Go field without omitempty
 *   1 verbs []string!                # (an absent list or map of such a field is JSON null, as Go writes nil)
 *   1 inline ProbeHandler            # an embedded struct whose fields JSON inlines
 * </pre>
 *
 * Scalars are {@code string bytes bool int32 int64 double}; {@code meta.Time}, {@code meta.MicroTime},
 * {@code resource.Quantity}, {@code intstr.IntOrString}, {@code runtime.RawExtension}, {@code meta.FieldsV1} and
 * {@code meta.Duration} have their own JSON forms, as have the {@code ExtraValue}s of authentication and
 * authorization (a {@code []string} in Go, wrapped in a message for protobuf); any other name is a message, qualified by package when it is
 * not in the current one. Unresolved names fail the load.
 */
final class SchemaParser {

    private static final Map<String, SpecialKind> SPECIALS = Map.of(
            "authentication.ExtraValue", SpecialKind.STRING_LIST,
            "authorization.ExtraValue", SpecialKind.STRING_LIST,
            "meta.Time", SpecialKind.TIME,
            "meta.MicroTime", SpecialKind.MICRO_TIME,
            "resource.Quantity", SpecialKind.QUANTITY,
            "intstr.IntOrString", SpecialKind.INT_OR_STRING,
            "runtime.RawExtension", SpecialKind.RAW_EXTENSION,
            "meta.FieldsV1", SpecialKind.FIELDS_V1,
            "meta.Duration", SpecialKind.DURATION);

    private final Map<String, MessageType> messages = new LinkedHashMap<>();
    private final Map<String, String> kindNames = new LinkedHashMap<>();

    /** Parses the named resources (relative to this class) into one schema. */
    static Schema load(List<String> resources) {
        SchemaParser parser = new SchemaParser();
        for (String resource : resources) {
            try (InputStream in = SchemaParser.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing schema resource " + resource);
                }
                parser.parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return parser.build();
    }

    /** Parses one resource's text; {@code source} names it in error messages. */
    void parse(String source, String text) {
        String pkg = null;
        String messageName = null;
        List<Field> fields = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            if (line.isBlank()) {
                continue;
            }
            String where = source + ":" + (i + 1);
            String[] words = line.trim().split("\\s+");
            boolean indented = Character.isWhitespace(line.charAt(0));
            if (indented) {
                if (fields == null) {
                    throw new IllegalStateException(where + ": field outside a message");
                }
                fields.add(field(pkg, words, where));
                continue;
            }
            if (messageName != null) {
                define(messageName, fields, where);
                messageName = null;
                fields = null;
            }
            switch (words[0]) {
                case "package" -> pkg = words[1];
                case "kinds" -> {
                    if (pkg == null || words.length < 3) {
                        throw new IllegalStateException(where + ": 'kinds apiVersion Kind...' after a package");
                    }
                    for (int w = 2; w < words.length; w++) {
                        kindNames.put(words[1] + "/" + words[w], pkg + "." + words[w]);
                    }
                }
                case "message" -> {
                    if (pkg == null) {
                        throw new IllegalStateException(where + ": message before package");
                    }
                    messageName = pkg + "." + words[1];
                    fields = new ArrayList<>();
                }
                default -> throw new IllegalStateException(where + ": cannot read '" + line.trim() + "'");
            }
        }
        if (messageName != null) {
            define(messageName, fields, source + ":end");
        }
    }

    private void define(String name, List<Field> fields, String where) {
        Map<Integer, Field> byNumber = new LinkedHashMap<>();
        for (Field f : fields) {
            if (byNumber.put(f.number(), f) != null) {
                throw new IllegalStateException(where + ": " + name + " has field " + f.number() + " twice");
            }
        }
        if (messages.put(name, new MessageType(name, Map.copyOf(byNumber), List.copyOf(fields))) != null) {
            throw new IllegalStateException(where + ": message " + name + " defined twice");
        }
    }

    private static Field field(String pkg, String[] words, String where) {
        if (words.length != 3) {
            throw new IllegalStateException(where + ": expected 'number name type'");
        }
        int number;
        try {
            number = Integer.parseInt(words[0]);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(where + ": bad field number " + words[0]);
        }
        String type = words[2];
        Presence presence = Presence.OMIT_EMPTY;
        if (type.startsWith("*")) {
            presence = Presence.POINTER;
            type = type.substring(1);
        } else if (type.endsWith("!")) {
            presence = Presence.ALWAYS;
            type = type.substring(0, type.length() - 1);
        }
        boolean inline = words[1].equals("inline");
        return new Field(number, inline ? "" : words[1], type(pkg, type, where), presence, inline);
    }

    private static FieldType type(String pkg, String type, String where) {
        if (type.startsWith("[]")) {
            return new Repeated(type(pkg, type.substring(2), where));
        }
        if (type.startsWith("map[")) {
            int close = type.indexOf(']');
            FieldType key = type(pkg, type.substring(4, close), where);
            if (!(key instanceof Scalar scalar)) {
                throw new IllegalStateException(where + ": map keys must be scalars");
            }
            return new MapOf(scalar.kind(), type(pkg, type.substring(close + 1), where));
        }
        switch (type) {
            case "string":
                return new Scalar(ScalarKind.STRING);
            case "bytes":
                return new Scalar(ScalarKind.BYTES);
            case "bool":
                return new Scalar(ScalarKind.BOOL);
            case "int32":
                return new Scalar(ScalarKind.INT32);
            case "int64":
                return new Scalar(ScalarKind.INT64);
            case "double":
                return new Scalar(ScalarKind.DOUBLE);
            default:
                break;
        }
        SpecialKind special = SPECIALS.get(type);
        if (special != null) {
            return new Special(special);
        }
        return new Message(type.contains(".") ? type : pkg + "." + type);
    }

    private Schema build() {
        List<String> unresolved = new ArrayList<>();
        for (MessageType message : messages.values()) {
            for (Field field : message.fields()) {
                String name = messageName(field.type());
                if (name != null && !messages.containsKey(name)) {
                    unresolved.add(message.name() + "." + (field.inline() ? "(inline)" : field.jsonName())
                            + " -> " + name);
                }
            }
        }
        Map<String, MessageType> kinds = new LinkedHashMap<>();
        kindNames.forEach((kind, name) -> {
            MessageType type = messages.get(name);
            if (type == null) {
                unresolved.add(kind + " -> " + name);
            }
            kinds.put(kind, type);
        });
        if (!unresolved.isEmpty()) {
            throw new IllegalStateException("unresolved schema types: " + unresolved);
        }
        return new Schema(messages, kinds);
    }

    private static String messageName(FieldType type) {
        return switch (type) {
            case Message m -> m.typeName();
            case Repeated r -> messageName(r.element());
            case MapOf m -> messageName(m.value());
            default -> null;
        };
    }
}
