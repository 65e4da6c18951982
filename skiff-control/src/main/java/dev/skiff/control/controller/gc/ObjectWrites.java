package dev.skiff.control.controller.gc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The collector's reads and writes of arbitrary resources through the API, as upstream's {@code operations.go}:
 * live GETs that confirm an owner's absence, deletes with a uid precondition, and patches of owner references and
 * finalizers that carry the object's resourceVersion, so a write based on a stale read fails with 409 and is retried
 * by the controller instead of overwriting a newer change.
 *
 * <p>Thread-safe; every method blocks on one or two API calls.
 */
public final class ObjectWrites {

    /** Builds merge patches, where an explicit null removes a field (fabric8's mapper may omit nulls). */
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;

    public ObjectWrites(KubernetesClient client) {
        this.client = client;
    }

    private Resource<GenericKubernetesResource> resource(ResourceKind kind, String namespace, String name) {
        var op = client.genericKubernetesResources(kind.context());
        return kind.namespaced() ? op.inNamespace(namespace).withName(name) : op.withName(name);
    }

    /** The object as the server has it now, if it exists. */
    public Optional<Node> get(ResourceKind kind, String namespace, String name) {
        GenericKubernetesResource live = resource(kind, namespace, name).get();
        return Optional.ofNullable(live).map(o -> Node.of(kind, o));
    }

    /**
     * Deletes the object with {@code propagationPolicy} and {@code preconditions.uid}: a same-named successor is
     * never hit. The client DSL offers no uid precondition, so the request is sent directly. Not found (already
     * gone) and conflict (a successor) both count as done.
     */
    public void delete(ObjectId id, String propagationPolicy) throws Exception {
        String body = Serialization.asJson(Map.of("apiVersion", "v1", "kind", "DeleteOptions",
                "propagationPolicy", propagationPolicy, "preconditions", Map.of("uid", id.uid())));
        String base = client.getMasterUrl().toString().replaceAll("/+$", "");
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder().uri(base + path(id))
                .method("DELETE", "application/json", body).build();
        HttpResponse<String> response = client.getHttpClient().sendAsync(request, String.class)
                .get(30, TimeUnit.SECONDS);
        int code = response.code();
        if (code / 100 != 2 && code != 404 && code != 409) {
            throw new KubernetesClientException("garbage collecting " + id + " failed: HTTP " + code + " "
                    + response.body(), code, null);
        }
    }

    static String path(ObjectId id) {
        ResourceKind kind = id.resource();
        StringBuilder path = new StringBuilder(kind.group().isEmpty() ? "/api/" : "/apis/" + kind.group() + "/")
                .append(kind.version());
        if (kind.namespaced()) {
            path.append("/namespaces/").append(id.namespace());
        }
        return path.append('/').append(kind.plural()).append('/').append(id.name()).toString();
    }

    /** Removes the references to the given owners from the object (upstream's {@code deleteOwnerRefJSONMergePatch}). */
    public void removeOwnerReferences(ObjectId id, Set<String> ownerUids) {
        patchOwnerReferences(id, refs -> refs.removeIf(r -> ownerUids.contains(r.getUid())));
    }

    /** Sets {@code blockOwnerDeletion: false} on every owner reference that blocks (upstream's unblock patch). */
    public void unblockOwnerReferences(ObjectId id) {
        patchOwnerReferences(id, refs -> refs.replaceAll(r -> Boolean.TRUE.equals(r.getBlockOwnerDeletion())
                ? new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder(r).withBlockOwnerDeletion(false).build()
                : r));
    }

    private void patchOwnerReferences(ObjectId id, java.util.function.Consumer<List<OwnerReference>> change) {
        Resource<GenericKubernetesResource> resource = resource(id.resource(), id.namespace(), id.name());
        GenericKubernetesResource live = resource.get();
        if (live == null || !id.uid().equals(live.getMetadata().getUid())) {
            return; // gone, or a successor that never referenced these owners
        }
        List<OwnerReference> before = live.getMetadata().getOwnerReferences() == null ? List.of()
                : live.getMetadata().getOwnerReferences();
        List<OwnerReference> after = new ArrayList<>(before);
        change.accept(after);
        if (after.equals(before)) {
            return;
        }
        ObjectNode metadata = JSON.createObjectNode().put("resourceVersion", live.getMetadata().getResourceVersion());
        if (after.isEmpty()) {
            metadata.putNull("ownerReferences"); // removes the field, as upstream's objects have none then
        } else {
            metadata.set("ownerReferences", JSON.valueToTree(after));
        }
        patch(resource, metadata);
    }

    /** Removes one finalizer from the object, if this very object still carries it. */
    public void removeFinalizer(ObjectId id, String finalizer) {
        Resource<GenericKubernetesResource> resource = resource(id.resource(), id.namespace(), id.name());
        GenericKubernetesResource live = resource.get();
        if (live == null || !id.uid().equals(live.getMetadata().getUid())
                || live.getMetadata().getFinalizers() == null
                || !live.getMetadata().getFinalizers().contains(finalizer)) {
            return;
        }
        List<String> after = new ArrayList<>(live.getMetadata().getFinalizers());
        after.removeIf(finalizer::equals);
        ObjectNode metadata = JSON.createObjectNode().put("resourceVersion", live.getMetadata().getResourceVersion());
        if (after.isEmpty()) {
            metadata.putNull("finalizers");
        } else {
            metadata.set("finalizers", JSON.valueToTree(after));
        }
        patch(resource, metadata);
    }

    /** A JSON merge patch of metadata; 404 (deleted meanwhile) is success, 409 propagates for a retry. */
    private static void patch(Resource<GenericKubernetesResource> resource, ObjectNode metadata) {
        ObjectNode body = JSON.createObjectNode();
        body.set("metadata", metadata);
        try {
            resource.patch(PatchContext.of(PatchType.JSON_MERGE), body.toString());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
