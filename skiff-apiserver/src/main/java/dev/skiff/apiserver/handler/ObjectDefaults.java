package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.resource.ResourceType;
import java.security.SecureRandom;

/**
 * What the generic registry does to every object on create and update, as upstream's strategies do: type meta,
 * generated names, status reset on create for kinds with a status subresource, generation bookkeeping, and the
 * few kind defaults that kubectl output depends on (a namespace is Active and labelled with its name).
 */
final class ObjectDefaults {

    private static final String NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final int GENERATED_SUFFIX = 5;
    private static final int MAX_GENERATED_BASE = 63 - GENERATED_SUFFIX;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ObjectDefaults() {
    }

    /** Whether objects of this type carry metadata.generation (spec changes bump it). */
    static boolean tracksGeneration(ResourceType type) {
        return type.group().equals("apiextensions.k8s.io")
                || (!type.group().isEmpty() && type.hasSubresource("status"))
                || type.plural().equals("replicationcontrollers");
    }

    /** A name from {@code generateName}: the base (truncated) plus five random characters, as upstream. */
    static String generateName(String base) {
        String prefix = base.length() > MAX_GENERATED_BASE ? base.substring(0, MAX_GENERATED_BASE) : base;
        StringBuilder name = new StringBuilder(prefix);
        for (int i = 0; i < GENERATED_SUFFIX; i++) {
            name.append(NAME_ALPHABET.charAt(RANDOM.nextInt(NAME_ALPHABET.length())));
        }
        return name.toString();
    }

    /** Prepares a new object for storage. */
    static void onCreate(ResourceType type, ObjectNode object) {
        object.put("apiVersion", type.apiVersion());
        object.put("kind", type.kind());
        KindDefaults.apply(type, object);
        ObjectNode metadata = ObjectStore.metadata(object);
        metadata.remove("deletionTimestamp");
        metadata.remove("deletionGracePeriodSeconds");
        metadata.remove("generation");
        if (tracksGeneration(type)) {
            metadata.put("generation", 1);
        }
        if (type.hasSubresource("status") && !type.plural().equals("namespaces")) {
            object.remove("status");
        }
        if (type.group().isEmpty() && type.plural().equals("namespaces")) {
            String name = metadata.path("name").asText();
            metadata.withObjectProperty("labels").put("kubernetes.io/metadata.name", name);
            ObjectNode spec = object.withObjectProperty("spec");
            if (!spec.has("finalizers")) {
                spec.putArray("finalizers").add("kubernetes");
            }
            object.putObject("status").put("phase", "Active");
        }
        if (type.group().isEmpty() && type.plural().equals("secrets") && object.path("type").asText("").isEmpty()) {
            object.put("type", "Opaque");
        }
        if (type.group().isEmpty() && type.plural().equals("pods")) {
            ObjectNode status = object.putObject("status");
            status.put("phase", "Pending");
            status.put("qosClass", qosClass(object));
        }
    }

    /**
     * Prepares an update of the main resource: the status of a kind with a status subresource is kept (it changes
     * only through /status), and the generation follows spec changes.
     */
    static void onUpdate(ResourceType type, ObjectNode current, ObjectNode next) {
        next.put("apiVersion", type.apiVersion());
        next.put("kind", type.kind());
        KindDefaults.apply(type, next);
        if (type.hasSubresource("status")) {
            if (current.has("status")) {
                next.set("status", current.get("status").deepCopy());
            } else {
                next.remove("status");
            }
        }
        ObjectNode metadata = ObjectStore.metadata(next);
        if (tracksGeneration(type)) {
            long generation = current.path("metadata").path("generation").asLong(1);
            metadata.put("generation", specChanged(current, next) ? generation + 1 : generation);
        } else if (current.path("metadata").has("generation")) {
            metadata.set("generation", current.path("metadata").get("generation"));
        } else {
            metadata.remove("generation");
        }
        if (type.group().isEmpty() && type.plural().equals("namespaces")) {
            metadata.withObjectProperty("labels").put("kubernetes.io/metadata.name", metadata.path("name").asText());
            // Upstream's namespace PrepareForUpdate: spec.finalizers change only through /finalize, so an ordinary
            // update can never drop the "kubernetes" finalizer and skip the namespace controller's cleanup.
            JsonNode finalizers = current.path("spec").get("finalizers");
            if (finalizers == null) {
                next.withObjectProperty("spec").remove("finalizers");
            } else {
                next.withObjectProperty("spec").set("finalizers", finalizers.deepCopy());
            }
        }
    }

    /** Prepares a /status update: everything but the status stays as it is. */
    static ObjectNode onStatusUpdate(ObjectNode current, ObjectNode next) {
        ObjectNode result = current.deepCopy();
        JsonNode status = next.get("status");
        if (status == null) {
            result.remove("status");
        } else {
            result.set("status", status.deepCopy());
        }
        return result;
    }

    /** Prepares a namespace /finalize update: only {@code spec.finalizers} changes. */
    static ObjectNode onFinalize(ObjectNode current, ObjectNode next) {
        ObjectNode result = current.deepCopy();
        JsonNode finalizers = next.path("spec").get("finalizers");
        if (finalizers == null || finalizers.isNull()) {
            result.withObjectProperty("spec").remove("finalizers");
        } else {
            result.withObjectProperty("spec").set("finalizers", finalizers.deepCopy());
        }
        return result;
    }

    private static boolean specChanged(ObjectNode current, ObjectNode next) {
        ObjectNode a = current.deepCopy();
        ObjectNode b = next.deepCopy();
        for (ObjectNode o : new ObjectNode[] {a, b}) {
            o.remove("metadata");
            o.remove("status");
            o.remove("apiVersion");
            o.remove("kind");
        }
        return !a.equals(b);
    }

    /** Upstream's QoS class: Guaranteed, Burstable or BestEffort from the containers' requests and limits. */
    static String qosClass(ObjectNode pod) {
        boolean anyResources = false;
        boolean guaranteed = true;
        JsonNode spec = pod.path("spec");
        int containers = 0;
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode container : spec.path(list)) {
                containers++;
                JsonNode requests = container.path("resources").path("requests");
                JsonNode limits = container.path("resources").path("limits");
                if (!requests.isEmpty() || !limits.isEmpty()) {
                    anyResources = true;
                }
                for (String resource : new String[] {"cpu", "memory"}) {
                    if (!limits.has(resource)) {
                        guaranteed = false;
                    } else if (requests.has(resource)
                            && !requests.path(resource).asText().equals(limits.path(resource).asText())) {
                        guaranteed = false;
                    }
                }
            }
        }
        if (!anyResources || containers == 0) {
            return "BestEffort";
        }
        return guaranteed ? "Guaranteed" : "Burstable";
    }
}
