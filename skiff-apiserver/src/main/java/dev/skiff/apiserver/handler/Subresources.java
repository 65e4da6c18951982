package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.auth.BoundPod;
import dev.skiff.apiserver.auth.IssuedToken;
import dev.skiff.apiserver.auth.ServiceAccountRef;
import dev.skiff.apiserver.auth.ServiceAccountTokens;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.request.RequestInfo;
import dev.skiff.apiserver.resource.ResourceCatalog;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.status.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The action subresources of built-in kinds, as kube-apiserver implements them:
 * {@code pods/binding} (and the {@code bindings} resource) for the scheduler, {@code /scale} of the workload kinds,
 * {@code pods/eviction} honouring PodDisruptionBudgets ({@link Eviction}), and {@code serviceaccounts/token} (TokenRequest).
 */
final class Subresources {

    private static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(1);
    private static final Duration MIN_TOKEN_TTL = Duration.ofMinutes(10);

    private final ResourceCatalog catalog;
    private final ObjectStore store;
    private final Responses responses;
    private final ServiceAccountTokens tokens;
    private final Clock clock;
    private final ManagedFieldsHook managedFields;
    private final TypeStrategies strategies;

    Subresources(ResourceCatalog catalog, ObjectStore store, Responses responses, ServiceAccountTokens tokens,
            Clock clock, ManagedFieldsHook managedFields, TypeStrategies strategies) {
        this.managedFields = managedFields;
        this.strategies = strategies;
        this.catalog = catalog;
        this.store = store;
        this.responses = responses;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** Whether this request is one of the subresources served here. */
    static boolean handles(RequestInfo info) {
        return switch (info.subresource()) {
            case "binding", "scale", "eviction", "token" -> true;
            default -> info.resource().equals("bindings") && info.group().isEmpty();
        };
    }

    void handle(Exchange exchange, RequestInfo info) {
        String sub = info.subresource().isEmpty() ? "binding" : info.subresource();
        switch (sub) {
            case "binding" -> bind(exchange, info);
            case "scale" -> scale(exchange, info);
            case "eviction" -> evict(exchange, info);
            case "token" -> token(exchange, info);
            default -> throw ApiException.pathNotFound();
        }
    }

    // --- pods/binding ---------------------------------------------------------------------------------------

    private void bind(Exchange exchange, RequestInfo info) {
        requireVerb(info, "create", "pods/binding");
        ObjectNode binding = responses.codec().decodeObject(exchange.body(), exchange.header("Content-Type"));
        String pod = info.resource().equals("bindings")
                ? binding.path("metadata").path("name").asText("") : info.name();
        String node = binding.path("target").path("name").asText("");
        if (pod.isEmpty() || node.isEmpty()) {
            throw ApiException.invalid("", "Binding", pod, List.of(new Status.Cause("FieldValueRequired",
                    "Required value", node.isEmpty() ? "target.name" : "metadata.name")));
        }
        ResourceType pods = type("", "v1", "pods");
        String uid = binding.path("metadata").path("uid").asText("");
        store.update(pods, info.namespace(), pod, 0, current -> {
            if (!uid.isEmpty() && !uid.equals(current.path("metadata").path("uid").asText())) {
                throw ApiException.conflict("", "pods/binding", pod, "the UID in the binding does not match");
            }
            String assigned = current.path("spec").path("nodeName").asText("");
            if (!assigned.isEmpty()) {
                throw ApiException.conflict("", "pods/binding", pod,
                        "pod " + pod + " is already assigned to node \"" + assigned + "\"");
            }
            if (current.path("metadata").hasNonNull("deletionTimestamp")) {
                throw ApiException.conflict("", "pods/binding", pod, "pod " + pod + " is being deleted, cannot be "
                        + "assigned to a host");
            }
            current.withObjectProperty("spec").put("nodeName", node);
            setCondition(current.withObjectProperty("status"), "PodScheduled", "True", null);
            return current;
        });
        responses.object(exchange, 201, new Status("Success", null, null, null, 201));
    }

    private void setCondition(ObjectNode status, String type, String value, String reason) {
        ArrayNode conditions = status.withArrayProperty("conditions");
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        for (JsonNode condition : conditions) {
            if (condition.path("type").asText().equals(type)) {
                ObjectNode existing = (ObjectNode) condition;
                if (!existing.path("status").asText().equals(value)) {
                    existing.put("lastTransitionTime", now);
                }
                existing.put("status", value);
                return;
            }
        }
        ObjectNode condition = conditions.addObject();
        condition.put("type", type).put("status", value).putNull("lastProbeTime");
        condition.put("lastTransitionTime", now);
        if (reason != null) {
            condition.put("reason", reason);
        }
    }

    // --- /scale ---------------------------------------------------------------------------------------------

    private void scale(Exchange exchange, RequestInfo info) {
        ResourceType type = type(info.group(), info.version(), info.resource());
        switch (info.verb()) {
            case "get" -> responses.object(exchange, 200, toScale(store.get(type, info.namespace(), info.name())));
            case "update", "patch" -> {
                JsonNode body = responses.codec().decode(exchange.body(), exchange.header("Content-Type"));
                String media = Codec.mediaType(exchange.header("Content-Type"));
                ObjectNode updated = store.update(type, info.namespace(), info.name(), 0, current -> {
                    ObjectNode scale = toScale(current);
                    ObjectNode wanted = info.verb().equals("update") ? (ObjectNode) body
                            : Patches.apply(scale, body, media, "Scale");
                    String rv = wanted.path("metadata").path("resourceVersion").asText("");
                    if (!rv.isEmpty() && !rv.equals(current.path("metadata").path("resourceVersion").asText())) {
                        throw ApiException.staleResourceVersion(type.group(), type.plural(), info.name());
                    }
                    JsonNode replicas = wanted.path("spec").path("replicas");
                    if (!replicas.canConvertToInt() || replicas.asInt() < 0) {
                        throw ApiException.invalid("autoscaling", "Scale", info.name(), List.of(new Status.Cause(
                                "FieldValueInvalid", "Invalid value: " + replicas + ": must be greater than or "
                                        + "equal to 0", "spec.replicas")));
                    }
                    ObjectNode next = current.deepCopy();
                    next.withObjectProperty("spec").put("replicas", replicas.asInt());
                    long generation = current.path("metadata").path("generation").asLong(1);
                    if (current.path("spec").path("replicas").asInt(1) != replicas.asInt()) {
                        ObjectStore.metadata(next).put("generation", generation + 1);
                    }
                    // Upstream tracks the scale subresource on the parent: the writer owns spec.replicas as an
                    // Update entry with subresource "scale" (and takes it from whoever owned it).
                    managedFields.onUpdate(exchange, type, current, next, "scale",
                            info.verb().equals("update") ? "UpdateOptions" : "PatchOptions");
                    return next;
                });
                responses.object(exchange, 200, toScale(updated));
            }
            default -> throw ApiException.methodNotSupported(type.group(), type.plural() + "/scale", info.verb());
        }
    }

    /** The autoscaling/v1 Scale view of a workload, as upstream's scale subresources build it. */
    private ObjectNode toScale(ObjectNode workload) {
        ObjectNode scale = responses.newObject();
        scale.put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode metadata = scale.putObject("metadata");
        for (String field : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (workload.path("metadata").has(field)) {
                metadata.set(field, workload.path("metadata").get(field));
            }
        }
        scale.putObject("spec").put("replicas", workload.path("spec").path("replicas").asInt(1));
        ObjectNode status = scale.putObject("status");
        status.put("replicas", workload.path("status").path("replicas").asInt(0));
        String selector = selectorString(workload.path("spec").path("selector"));
        if (!selector.isEmpty()) {
            status.put("selector", selector);
        }
        return scale;
    }

    static String selectorString(JsonNode selector) {
        List<String> parts = new ArrayList<>();
        JsonNode labels = selector.has("matchLabels") ? selector.path("matchLabels") : selector;
        labels.fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                parts.add(e.getKey() + "=" + e.getValue().asText());
            }
        });
        for (JsonNode expression : selector.path("matchExpressions")) {
            String key = expression.path("key").asText();
            List<String> values = new ArrayList<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            parts.add(switch (expression.path("operator").asText()) {
                case "In" -> key + " in (" + String.join(",", values) + ")";
                case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
                case "DoesNotExist" -> "!" + key;
                default -> key;
            });
        }
        return String.join(",", parts);
    }

    // --- pods/eviction --------------------------------------------------------------------------------------

    private void evict(Exchange exchange, RequestInfo info) {
        requireVerb(info, "create", "pods/eviction");
        ObjectNode eviction = responses.codec().decodeObject(exchange.body(), exchange.header("Content-Type"));
        String name = eviction.path("metadata").path("name").asText(info.name());
        if (!name.equals(info.name())) {
            throw ApiException.badRequest("name in URL does not match name in Eviction object");
        }
        new Eviction(store, clock, type("", "v1", "pods"), type("policy", "v1", "poddisruptionbudgets"), strategies)
                .evict(info.namespace(), name, eviction);
        responses.object(exchange, 201, new Status("Success", null, null, null, 201));
    }

    // --- serviceaccounts/token ------------------------------------------------------------------------------

    private void token(Exchange exchange, RequestInfo info) {
        requireVerb(info, "create", "serviceaccounts/token");
        if (tokens == null) {
            throw ApiException.methodNotSupported("", "serviceaccounts/token", "create");
        }
        ObjectNode request = responses.codec().decodeObject(exchange.body(), exchange.header("Content-Type"));
        ObjectNode account = store.get(type("", "v1", "serviceaccounts"), info.namespace(), info.name());
        JsonNode spec = request.path("spec");
        List<String> audiences = new ArrayList<>();
        spec.path("audiences").forEach(a -> audiences.add(a.asText()));
        Duration ttl = spec.has("expirationSeconds")
                ? Duration.ofSeconds(spec.path("expirationSeconds").asLong()) : DEFAULT_TOKEN_TTL;
        if (ttl.compareTo(MIN_TOKEN_TTL) < 0) {
            throw ApiException.invalid("authentication.k8s.io", "TokenRequest", info.name(), List.of(
                    new Status.Cause("FieldValueInvalid", "Invalid value: " + ttl.getSeconds()
                            + ": may not specify a duration less than 10 minutes", "spec.expirationSeconds")));
        }
        BoundPod pod = null;
        JsonNode bound = spec.path("boundObjectRef");
        if (bound.path("kind").asText("").equals("Pod")) {
            ObjectNode boundPod = store.get(type("", "v1", "pods"), info.namespace(), bound.path("name").asText());
            pod = new BoundPod(bound.path("name").asText(), boundPod.path("metadata").path("uid").asText());
        }
        IssuedToken issued = tokens.issue(new ServiceAccountRef(info.namespace(), info.name(),
                account.path("metadata").path("uid").asText()), pod, audiences, ttl);
        ObjectNode answer = request.deepCopy();
        answer.put("kind", "TokenRequest").put("apiVersion", "authentication.k8s.io/v1");
        ObjectNode metadata = answer.withObjectProperty("metadata");
        metadata.put("name", info.name()).put("namespace", info.namespace());
        metadata.put("creationTimestamp", Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
        answer.withObjectProperty("spec").put("expirationSeconds", ttl.getSeconds());
        answer.putObject("status").put("token", issued.token())
                .put("expirationTimestamp", issued.expiresAt().toString());
        responses.object(exchange, 201, answer);
    }

    private ResourceType type(String group, String version, String plural) {
        return catalog.find(group, version, plural).orElseThrow(ApiException::pathNotFound);
    }

    private static void requireVerb(RequestInfo info, String verb, String resource) {
        if (!info.verb().equals(verb)) {
            throw ApiException.methodNotSupported(info.group(), resource, info.verb());
        }
    }
}
