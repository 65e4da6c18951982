package dev.skiff.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.handler.Codec;
import dev.skiff.apiserver.handler.Patches;
import dev.skiff.apiserver.handler.Responses;
import dev.skiff.apiserver.handler.SubresourceHandler;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.registry.DeletionPolicy;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.request.RequestInfo;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.status.Status;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A custom resource's {@code scale} subresource (apiextensions' ScaleREST): an {@code autoscaling/v1 Scale} view
 * whose {@code spec.replicas}, {@code status.replicas} and {@code status.selector} come from the CRD's
 * specReplicasPath, statusReplicasPath and labelSelectorPath. get, update and patch (JSON or merge patch, what
 * {@code kubectl scale} sends); a write sets specReplicasPath on the resource, which then goes through the
 * resource's own generation bump and validation.
 */
final class ScaleSubresource implements SubresourceHandler {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final CustomResourceStrategy strategy;
    private final SimpleJsonPath specReplicas;
    private final SimpleJsonPath statusReplicas;
    private final SimpleJsonPath selector;
    private final ObjectStore store;
    private final Responses responses;

    ScaleSubresource(CustomResourceStrategy strategy, ScaleSpec spec, ObjectStore store, Responses responses) {
        this.strategy = strategy;
        this.specReplicas = SimpleJsonPath.parse(spec.specReplicasPath()).orElseThrow();
        this.statusReplicas = SimpleJsonPath.parse(spec.statusReplicasPath()).orElseThrow();
        this.selector = SimpleJsonPath.parse(spec.labelSelectorPath()).orElse(null);
        this.store = store;
        this.responses = responses;
    }

    @Override
    public void handle(Exchange exchange, ResourceType type, RequestInfo info) {
        switch (info.verb()) {
            case "get" -> responses.object(exchange, 200, scaleOf(store.get(type, info.namespace(), info.name())));
            case "update" -> {
                ObjectNode body = responses.codec().decodeObject(exchange.body(), exchange.header("Content-Type"));
                checkScale(body, info.name());
                write(exchange, type, info, current -> body);
            }
            case "patch" -> {
                String media = Codec.mediaType(exchange.header("Content-Type"));
                if (media.equals(Patches.APPLY_PATCH)) {
                    throw ApiException.unsupportedMediaType(media + " (server-side apply is not supported yet)");
                }
                strategy.checkPatchType(media);
                JsonNode patch = responses.codec().decode(exchange.body(), exchange.header("Content-Type"));
                write(exchange, type, info, current -> Patches.apply(current, patch, media, "Scale"));
            }
            default -> throw ApiException.methodNotSupported(type.group(), type.plural() + "/scale", info.verb());
        }
    }

    /** Applies {@code change} to the current Scale and the result to the resource; answers the new Scale. */
    private void write(Exchange exchange, ResourceType type, RequestInfo info, UnaryOperator<ObjectNode> change) {
        UnaryOperator<ObjectNode> update = current -> scaled(type, current, change.apply(scaleOf(current)));
        ObjectNode result = exchange.query().contains("dryRun")
                ? update.apply(store.get(type, info.namespace(), info.name()))
                : store.update(type, info.namespace(), info.name(), 0, DeletionPolicy.DEFAULT, update);
        responses.object(exchange, 200, scaleOf(result));
    }

    private ObjectNode scaled(ResourceType type, ObjectNode current, ObjectNode scale) {
        String name = current.path("metadata").path("name").asText();
        String wantedVersion = scale.path("metadata").path("resourceVersion").asText("");
        if (!wantedVersion.isEmpty()
                && !wantedVersion.equals(current.path("metadata").path("resourceVersion").asText())) {
            throw ApiException.staleResourceVersion(type.group(), type.plural(), name);
        }
        JsonNode replicas = scale.path("spec").path("replicas");
        long count = replicas.isMissingNode() || replicas.isNull() ? 0 : replicas.asLong();
        if (!replicas.isMissingNode() && !replicas.isNull() && !replicas.isIntegralNumber()) {
            throw ApiException.badRequest("Scale in version \"v1\" cannot be handled as a Scale: json: cannot "
                    + "unmarshal " + replicas.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
                    + " into Go struct field ScaleSpec.spec.replicas of type int32");
        }
        if (count < 0) {
            throw ApiException.invalid("autoscaling", "Scale", name, List.of(new Status.Cause("FieldValueInvalid",
                    "Invalid value: " + count + ": must be greater than or equal to 0", "spec.replicas")));
        }
        ObjectNode next = current.deepCopy();
        specReplicas.set(next, IntNode.valueOf((int) count));
        strategy.prepareForUpdate(current, next, "");
        strategy.validate(next, current);
        return next;
    }

    private static void checkScale(ObjectNode body, String name) {
        String apiVersion = body.path("apiVersion").asText("");
        String kind = body.path("kind").asText("");
        if ((!apiVersion.isEmpty() && !apiVersion.equals("autoscaling/v1")) || (!kind.isEmpty()
                && !kind.equals("Scale"))) {
            throw ApiException.badRequest("the body of the request must be an autoscaling/v1 Scale");
        }
        String bodyName = body.path("metadata").path("name").asText("");
        if (!bodyName.isEmpty() && !bodyName.equals(name)) {
            throw ApiException.badRequest("the name of the object (" + bodyName
                    + ") does not match the name on the URL (" + name + ")");
        }
    }

    /** Upstream's scaleFromCustomResource: missing replica counts are 0, spec.replicas 0 is omitted. */
    ObjectNode scaleOf(ObjectNode resource) {
        ObjectNode scale = NODES.objectNode();
        scale.put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode metadata = scale.putObject("metadata");
        JsonNode source = resource.path("metadata");
        for (String field : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (source.hasNonNull(field) && !source.path(field).asText().isEmpty()) {
                metadata.set(field, source.get(field));
            }
        }
        long spec = specReplicas.first(resource).map(JsonNode::asLong).orElse(0L);
        ObjectNode specNode = scale.putObject("spec");
        if (spec != 0) {
            specNode.put("replicas", spec);
        }
        ObjectNode status = scale.putObject("status");
        status.put("replicas", statusReplicas.first(resource).map(JsonNode::asLong).orElse(0L));
        if (selector != null) {
            selector.first(resource).filter(JsonNode::isTextual).ifPresent(s -> status.put("selector", s.asText()));
        }
        return scale;
    }
}
