package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.status.ApiException;

/**
 * A delete's options, from the query or a {@code DeleteOptions} body: preconditions, propagation policy, grace
 * period and dry run.
 */
record DeleteOptions(String uid, long resourceVersion, String propagationPolicy, Long gracePeriodSeconds,
        boolean dryRun) {

    static DeleteOptions parse(Exchange exchange, Codec codec) {
        String uid = null;
        long resourceVersion = 0;
        String propagation = exchange.param("propagationPolicy");
        Long grace = null;
        boolean dryRun = exchange.query().contains("dryRun");
        if (exchange.param("gracePeriodSeconds") != null) {
            grace = parseLong(exchange.param("gracePeriodSeconds"), "gracePeriodSeconds");
        }
        if (exchange.body().length > 0) {
            JsonNode body = codec.decode(exchange.body(), exchange.header("Content-Type"));
            String kind = body.path("kind").asText("DeleteOptions");
            if (!kind.equals("DeleteOptions")) {
                throw ApiException.badRequest("the body of a delete must be a DeleteOptions, got " + kind);
            }
            JsonNode preconditions = body.path("preconditions");
            if (preconditions.hasNonNull("uid")) {
                uid = preconditions.path("uid").asText();
            }
            if (preconditions.hasNonNull("resourceVersion")) {
                resourceVersion = ListQuery.revision(preconditions.path("resourceVersion").asText());
            }
            if (body.hasNonNull("propagationPolicy")) {
                propagation = body.path("propagationPolicy").asText();
            }
            if (body.hasNonNull("gracePeriodSeconds")) {
                grace = body.path("gracePeriodSeconds").asLong();
            }
            if (body.path("dryRun").isArray() && !body.path("dryRun").isEmpty()) {
                dryRun = true;
            }
            if (body.hasNonNull("orphanDependents") && propagation == null) {
                propagation = body.path("orphanDependents").asBoolean() ? "Orphan" : "Background";
            }
        }
        if (propagation != null && !propagation.equals("Orphan") && !propagation.equals("Background")
                && !propagation.equals("Foreground")) {
            throw ApiException.invalid("meta.k8s.io", "DeleteOptions", "", java.util.List.of(
                    new dev.skiff.apiserver.status.Status.Cause("FieldValueNotSupported",
                            "Unsupported value: \"" + propagation + "\": supported values: \"Foreground\", "
                                    + "\"Background\", \"Orphan\"", "propagationPolicy")));
        }
        return new DeleteOptions(uid, resourceVersion, propagation, grace, dryRun);
    }

    DeleteOptions withoutPreconditions() {
        return new DeleteOptions(null, 0, propagationPolicy, gracePeriodSeconds, dryRun);
    }

    private static long parseLong(String value, String name) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + ": Invalid value: \"" + value + "\": must be an integer");
        }
    }
}
