package dev.skiff.apiserver.selection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.resource.ResourceType;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The fields each resource lets clients select on, as upstream's per-kind field label conversion functions allow
 * ({@code metadata.name} and, for namespaced kinds, {@code metadata.namespace} everywhere), and how to read them
 * from an object.
 */
public final class SelectableFields {

    private static final Map<String, Set<String>> EXTRA = Map.of(
            "pods", Set.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                    "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"),
            "events", Set.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                    "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                    "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"),
            "secrets", Set.of("type"),
            "namespaces", Set.of("status.phase"),
            "nodes", Set.of("spec.unschedulable"),
            "replicasets", Set.of("status.replicas"),
            "jobs", Set.of("status.successful"),
            "replicationcontrollers", Set.of("status.replicas"));

    private SelectableFields() {
    }

    public static Set<String> of(ResourceType type) {
        Set<String> fields = new HashSet<>();
        fields.add("metadata.name");
        if (type.namespaced()) {
            fields.add("metadata.namespace");
        }
        fields.addAll(EXTRA.getOrDefault(type.plural(), Set.of()));
        return fields;
    }

    /** The value of a dotted field path as a string ("" when absent), e.g. {@code spec.nodeName}. */
    public static String valueOf(ObjectNode object, String field) {
        if (field.equals("source")) {
            return object.path("source").path("component").asText("");
        }
        JsonNode node = object;
        for (String part : field.split("\\.")) {
            node = node.path(part);
        }
        return node.isValueNode() ? node.asText() : "";
    }
}
