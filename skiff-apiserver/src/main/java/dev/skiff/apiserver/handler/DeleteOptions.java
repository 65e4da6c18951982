package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.registry.DeletePropagation;
import dev.skiff.apiserver.registry.GarbageCollectionPolicy;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.status.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * A delete's options, from the query or a {@code DeleteOptions} body: preconditions, propagation policy (and the
 * legacy {@code orphanDependents}), grace period and dry run. Validated as upstream's {@code ValidateDeleteOptions}.
 */
record DeleteOptions(String uid, long resourceVersion, String propagationPolicy, Boolean orphanDependents,
        Long gracePeriodSeconds, boolean dryRun) {

    private static final List<String> POLICIES = List.of("Foreground", "Background", "Orphan");

    static DeleteOptions parse(Exchange exchange, Codec codec) {
        String uid = null;
        long resourceVersion = 0;
        String propagation = exchange.param("propagationPolicy");
        Boolean orphan = parseBoolean(exchange.param("orphanDependents"), "orphanDependents");
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
            if (body.hasNonNull("orphanDependents")) {
                orphan = body.path("orphanDependents").asBoolean();
            }
        }
        validate(propagation, orphan);
        return new DeleteOptions(uid, resourceVersion, propagation, orphan, grace, dryRun);
    }

    /** Upstream's checks and messages: both policies given, or a policy outside the three. */
    private static void validate(String propagation, Boolean orphan) {
        List<Status.Cause> causes = new ArrayList<>();
        if (orphan != null && propagation != null) {
            causes.add(new Status.Cause("FieldValueInvalid", "Invalid value: \"" + propagation
                    + "\": orphanDependents and deletionPropagation cannot be both set", "propagationPolicy"));
        }
        if (propagation != null && !POLICIES.contains(propagation)) {
            causes.add(new Status.Cause("FieldValueNotSupported", "Unsupported value: \"" + propagation
                    + "\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"",
                    "propagationPolicy"));
        }
        if (!causes.isEmpty()) {
            throw ApiException.invalid("meta.k8s.io", "DeleteOptions", "", causes);
        }
    }

    /** The propagation of this delete on {@code type}, whose group version is the request's. */
    DeletePropagation propagation(ResourceType type) {
        return new DeletePropagation(propagationPolicy, orphanDependents, GarbageCollectionPolicy.defaultFor(type));
    }

    DeleteOptions withoutPreconditions() {
        return new DeleteOptions(null, 0, propagationPolicy, orphanDependents, gracePeriodSeconds, dryRun);
    }

    private static long parseLong(String value, String name) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + ": Invalid value: \"" + value + "\": must be an integer");
        }
    }

    private static Boolean parseBoolean(String value, String name) {
        if (value == null) {
            return null;
        }
        // Go's strconv.ParseBool, which the query parameter conversion uses.
        return switch (value) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw ApiException.badRequest(name + ": Invalid value: \"" + value + "\": must be a boolean");
        };
    }
}
