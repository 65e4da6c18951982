package dev.skiff.apiserver.crd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * apiextensions/v1's defaulting of a CRD ({@code SetDefaults_CustomResourceDefinitionSpec}): the singular name is
 * the lowercased kind, the list kind is the kind plus "List", and conversion is {@code None}.
 */
final class CrdDefaults {

    private CrdDefaults() {
    }

    static void apply(ObjectNode crd) {
        if (!crd.path("spec").isObject()) {
            return;
        }
        ObjectNode spec = (ObjectNode) crd.get("spec");
        if (spec.path("names").isObject()) {
            ObjectNode names = (ObjectNode) spec.get("names");
            String kind = names.path("kind").asText("");
            if (names.path("singular").asText("").isEmpty() && !kind.isEmpty()) {
                names.put("singular", kind.toLowerCase(Locale.ROOT));
            }
            if (names.path("listKind").asText("").isEmpty() && !kind.isEmpty()) {
                names.put("listKind", kind + "List");
            }
        }
        if (!spec.path("conversion").isObject()) {
            spec.putObject("conversion").put("strategy", "None");
        }
    }
}
