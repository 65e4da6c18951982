package dev.skiff.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The step from client-side to server-side apply, as upstream's lastAppliedManager: when kubectl's own manager
 * ("kubectl") applies, conflicts on fields that the object's {@code kubectl.kubernetes.io/last-applied-configuration}
 * set, and that still hold the values it set, are not conflicts: the applier was their author all along. Stateless.
 */
final class LastApplied {

    static final String ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";
    /** Only kubectl's default apply manager gets this (users opt out with another --field-manager). */
    static final String KUBECTL = "kubectl";

    private static final ObjectMapper JSON = new ObjectMapper();

    private LastApplied() {
    }

    /**
     * The fields the last client-side apply set that the live object still holds unchanged; empty when the object
     * has no usable annotation.
     */
    static FieldSet allowedConflicts(ObjectNode live, Writer writer) {
        if (live == null) {
            return FieldSet.EMPTY;
        }
        String text = live.path("metadata").path("annotations").path(ANNOTATION).asText("");
        if (text.isEmpty()) {
            return FieldSet.EMPTY;
        }
        try {
            JsonNode parsed = JSON.readTree(text);
            if (!(parsed instanceof ObjectNode lastApplied)
                    || !lastApplied.path("apiVersion").asText("").equals(writer.apiVersion())) {
                return FieldSet.EMPTY;
            }
            ObjectNode lastView = writer.scope().view(lastApplied);
            Comparison comparison = Comparison.of(lastView, writer.scope().view(live), writer.shape());
            return FieldSets.of(lastView, writer.shape(), false)
                    .difference(comparison.modified())
                    .difference(comparison.added())
                    .difference(comparison.removed());
        } catch (IOException | StructureException e) {
            return FieldSet.EMPTY;
        }
    }
}
