package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.protobuf.KnownFields;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code fieldValidation} query parameter for built-in kinds, as kube-apiserver applies it to create, update
 * and patch: {@code Strict} rejects undeclared fields with 400 ("strict decoding error: unknown field ..."),
 * {@code Warn} (the default) drops them and says so in a {@code Warning} header, {@code Ignore} drops them
 * silently. Either way an undeclared field is never stored, as with upstream's typed decoding.
 */
final class FieldValidation {

    private FieldValidation() {
    }

    static void apply(Exchange exchange, ResourceType type, ObjectNode object) {
        String mode = exchange.param("fieldValidation");
        if (mode == null || mode.isEmpty()) {
            mode = "Warn";
        }
        if (!mode.equals("Strict") && !mode.equals("Warn") && !mode.equals("Ignore")) {
            throw ApiException.badRequest("fieldValidation: Unsupported value: \"" + mode
                    + "\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
        }
        List<String> unknown = KnownFields.unknownFields(type.apiVersion(), type.kind(), object, true);
        if (unknown.isEmpty()) {
            return;
        }
        switch (mode) {
            case "Strict" -> throw ApiException.badRequest(type.kind() + " in version \"" + type.version()
                    + "\" cannot be handled as a " + type.kind() + ": strict decoding error: "
                    + unknown.stream().map(f -> "unknown field \"" + f + "\"").collect(Collectors.joining(", ")));
            case "Warn" -> unknown.forEach(f -> exchange.warn("unknown field \"" + f + "\""));
            default -> {
                // Ignore: dropped without a word
            }
        }
    }
}
