package dev.skiff.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.crd.schema.Defaulter;
import dev.skiff.apiserver.crd.schema.FieldError;
import dev.skiff.apiserver.crd.schema.Pruner;
import dev.skiff.apiserver.crd.schema.Schema;
import dev.skiff.apiserver.crd.schema.SchemaValidator;
import dev.skiff.apiserver.handler.Patches;
import dev.skiff.apiserver.handler.Responses;
import dev.skiff.apiserver.handler.SubresourceHandler;
import dev.skiff.apiserver.handler.TypeStrategy;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.status.Status;
import java.util.List;
import java.util.Optional;

/**
 * How one served version of a custom resource behaves in the generic handler, as apiextensions' customresource
 * strategy and codec: bodies are pruned and defaulted (dropped fields go to {@code fieldValidation}), creates start
 * at generation 1 and are refused while the CRD terminates, any change outside metadata (and outside status when
 * the status subresource is on) bumps the generation, objects are validated against the schema, strategic merge
 * patches are refused, and the scale subresource is served. Objects read from storage get this version's
 * apiVersion (conversion {@code None}), pruning and defaults ({@link #onRead}). Thread-safe (immutable).
 */
final class CustomResourceStrategy implements TypeStrategy {

    /** Upstream's patch types for custom resources: no strategic merge patch, which needs Go struct tags. */
    private static final List<String> PATCH_TYPES = List.of(Patches.JSON_PATCH, Patches.MERGE_PATCH,
            Patches.APPLY_PATCH);

    private final ServedVersion served;
    private final Optional<SubresourceHandler> scale;
    private final dev.skiff.apiserver.apply.Shape shape;

    CustomResourceStrategy(ServedVersion served, ObjectStore store, Responses responses) {
        this.served = served;
        this.shape = SchemaShape.of(served.schema());
        this.scale = served.version().scale() == null ? Optional.empty()
                : Optional.of(new ScaleSubresource(this, served.version().scale(), store, responses));
    }

    ResourceType type() {
        return served.type();
    }

    @Override
    public List<String> warnings() {
        return served.warnings();
    }

    @Override
    public void checkPatchType(String media) {
        if (!PATCH_TYPES.contains(media)) {
            throw new ApiException(new Status("Failure", "the body of the request was in an unknown format - "
                    + "accepted media types include: " + String.join(", ", PATCH_TYPES), "UnsupportedMediaType",
                    null, 415));
        }
    }

    @Override
    public List<String> decode(ObjectNode object) {
        Schema schema = served.schema();
        if (schema == null) {
            return List.of();
        }
        List<String> pruned = Pruner.pruneResource(object, schema);
        Defaulter.apply(object, schema);
        return pruned;
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        if (served.terminating()) {
            ResourceType type = served.type();
            throw new ApiException(new Status("Failure",
                    "create not allowed while custom resource definition is terminating", "MethodNotAllowed",
                    new Status.Details(null, type.group(), type.plural(), null, null, null), 405));
        }
        // Custom resources always track metadata.generation, with or without a status subresource.
        object.withObjectProperty("metadata").put("generation", 1);
    }

    @Override
    public void prepareForUpdate(ObjectNode current, ObjectNode next, String subresource) {
        if (!subresource.isEmpty()) {
            return;
        }
        long generation = current.path("metadata").path("generation").asLong(1);
        next.withObjectProperty("metadata").put("generation",
                withoutMetadata(current).equals(withoutMetadata(next)) ? generation : generation + 1);
    }

    private static ObjectNode withoutMetadata(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        copy.remove("metadata");
        return copy;
    }

    @Override
    public void validate(ObjectNode object, ObjectNode current) {
        if (served.schema() == null) {
            return;
        }
        List<FieldError> errors = SchemaValidator.validate(object, served.schema(), "");
        if (!errors.isEmpty()) {
            ResourceType type = served.type();
            throw ApiException.invalid(type.group(), type.kind(), object.path("metadata").path("name").asText(""),
                    errors.stream().map(FieldError::toCause).toList());
        }
    }

    @Override
    public Optional<dev.skiff.apiserver.apply.Shape> applyShape() {
        return Optional.of(shape);
    }

    @Override
    public Optional<SubresourceHandler> subresource(String name) {
        return name.equals("scale") ? scale : Optional.empty();
    }

    /** An object on its way out of storage, in this version: apiVersion, pruned, defaulted. */
    ObjectNode onRead(ObjectNode object) {
        JsonNode kind = object.get("kind");
        object.put("apiVersion", served.type().apiVersion());
        if (kind == null) {
            object.put("kind", served.type().kind());
        }
        if (served.schema() != null) {
            Pruner.pruneResource(object, served.schema());
            Defaulter.apply(object, served.schema());
        }
        return object;
    }
}
