package dev.skiff.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parts of an apiextensions.k8s.io/v1 CustomResourceDefinition that serving needs, read from its JSON.
 *
 * @param name        metadata.name, "&lt;plural&gt;.&lt;group&gt;"
 * @param uid         metadata.uid
 * @param group       spec.group
 * @param namespaced  spec.scope is Namespaced
 * @param names       spec.names
 * @param versions    spec.versions, in the CRD's order
 * @param terminating whether metadata.deletionTimestamp is set
 */
public record CustomResourceDefinition(String name, String uid, String group, boolean namespaced, CrdNames names,
        List<CrdVersion> versions, boolean terminating) {

    public CustomResourceDefinition {
        versions = List.copyOf(versions);
    }

    public static CustomResourceDefinition parse(ObjectNode crd) {
        JsonNode spec = crd.path("spec");
        List<CrdVersion> versions = new ArrayList<>();
        spec.path("versions").forEach(version -> versions.add(CrdVersion.parse(version)));
        JsonNode metadata = crd.path("metadata");
        return new CustomResourceDefinition(metadata.path("name").asText(""), metadata.path("uid").asText(""),
                spec.path("group").asText(""), spec.path("scope").asText("").equals("Namespaced"),
                CrdNames.parse(spec.path("names")), versions, metadata.hasNonNull("deletionTimestamp"));
    }

    /** The version objects are stored in (exactly one, once validated). */
    public Optional<CrdVersion> storageVersion() {
        return versions.stream().filter(CrdVersion::storage).findFirst();
    }

    /** The served versions. */
    public List<CrdVersion> served() {
        return versions.stream().filter(CrdVersion::served).toList();
    }
}
