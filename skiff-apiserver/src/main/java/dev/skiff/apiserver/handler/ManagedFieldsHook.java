package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.apply.FieldManager;
import dev.skiff.apiserver.apply.Scope;
import dev.skiff.apiserver.apply.Shape;
import dev.skiff.apiserver.apply.Writer;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.status.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the REST verbs meet the {@link FieldManager}: who the field manager of a request is (the
 * {@code fieldManager} parameter, else the User-Agent up to its first "/", as upstream's managerOrUserAgent), which
 * part of the object it may own (main resource or status), and the type's apply shape. Thread-safe.
 */
final class ManagedFieldsHook {

    /** Upstream's FieldManagerMaxLength. */
    private static final int MAX_MANAGER_LENGTH = 128;

    private final FieldManager fields;
    private final TypeStrategies strategies;

    ManagedFieldsHook(FieldManager fields, TypeStrategies strategies) {
        this.fields = fields;
        this.strategies = strategies;
    }

    FieldManager fields() {
        return fields;
    }

    /** Records a create ({@code object} is the prepared new object). */
    void onCreate(Exchange exchange, ResourceType type, ObjectNode object) {
        fields.update(null, object, writer(exchange, type, "", manager(exchange, "CreateOptions")));
    }

    /** Records an update, patch or subresource write of {@code next} over {@code current}. */
    void onUpdate(Exchange exchange, ResourceType type, ObjectNode current, ObjectNode next, String subresource,
            String optionsKind) {
        fields.update(current, next, writer(exchange, type, subresource, manager(exchange, optionsKind)));
    }

    /** The writer of a request through {@code subresource} ("" for the main resource) by {@code manager}. */
    Writer writer(Exchange exchange, ResourceType type, String subresource, String manager) {
        Scope scope = subresource.equals("status") ? Scope.STATUS
                : type.hasSubresource("status") ? Scope.WITHOUT_STATUS : Scope.WHOLE;
        return new Writer(manager, type.apiVersion(), subresource, scope, shape(type));
    }

    Shape shape(ResourceType type) {
        return strategies.forType(type).applyShape().orElseGet(() -> BuiltinShape.of(type.kind()));
    }

    /**
     * The request's field manager: the validated {@code fieldManager} parameter, else derived from the User-Agent.
     * {@code optionsKind} (CreateOptions, UpdateOptions, PatchOptions) names the options in a 422.
     */
    static String manager(Exchange exchange, String optionsKind) {
        String given = exchange.param("fieldManager");
        if (given != null && !given.isEmpty()) {
            validate(given, optionsKind);
            return given;
        }
        return fromUserAgent(exchange.header("User-Agent"));
    }

    /** The 422 of upstream's ValidateFieldManager: at most 128 bytes, printable characters only. */
    static void validate(String manager, String optionsKind) {
        List<Status.Cause> causes = new ArrayList<>();
        if (manager.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_MANAGER_LENGTH) {
            causes.add(new Status.Cause("FieldValueTooLong", "Too long: may not be more than "
                    + MAX_MANAGER_LENGTH + " bytes", "fieldManager"));
        }
        for (int i = 0; i < manager.length(); ) {
            int c = manager.codePointAt(i);
            if (!printable(c)) {
                causes.add(new Status.Cause("FieldValueInvalid", "Invalid value: \"" + manager
                        + "\": invalid character " + String.format("U+%04X", c) + " (at position " + i + ")",
                        "fieldManager"));
            }
            i += Character.charCount(c);
        }
        if (!causes.isEmpty()) {
            throw optionsInvalid(optionsKind, causes);
        }
    }

    /** A 422 about the request's options, as upstream's NewInvalid on meta.k8s.io/{@code kind}. */
    static ApiException optionsInvalid(String kind, List<Status.Cause> causes) {
        return ApiException.invalid("meta.k8s.io", kind, "", causes);
    }

    /**
     * Upstream's prefixFromUserAgent: the User-Agent up to its first "/", without unprintable characters, cut at
     * 128 bytes; e.g. "kubectl" for {@code kubectl/v1.32.0 (linux/amd64) kubernetes/...}.
     */
    static String fromUserAgent(String userAgent) {
        if (userAgent == null) {
            return "";
        }
        int slash = userAgent.indexOf('/');
        String prefix = slash < 0 ? userAgent : userAgent.substring(0, slash);
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < prefix.length(); ) {
            int c = prefix.codePointAt(i);
            i += Character.charCount(c);
            if (!printable(c)) {
                continue;
            }
            int size = new String(Character.toChars(c)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes + size > MAX_MANAGER_LENGTH) {
                break;
            }
            out.appendCodePoint(c);
            bytes += size;
        }
        return out.toString();
    }

    /** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean printable(int c) {
        if (c == ' ') {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.UNASSIGNED, Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE,
                    Character.SURROGATE, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}
