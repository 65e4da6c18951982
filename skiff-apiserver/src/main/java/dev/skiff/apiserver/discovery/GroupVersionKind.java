package dev.skiff.apiserver.discovery;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A group, version and kind, as {@code metav1.GroupVersionKind} serialises it: {@code {group, version, kind}}, with
 * "" for the core group. Immutable.
 *
 * @param group   API group, "" for core
 * @param version API version, may be "" where upstream leaves it empty (aggregated discovery's responseKind)
 * @param kind    object kind
 */
public record GroupVersionKind(String group, String version, String kind) {

    public GroupVersionKind {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(kind, "kind");
    }

    /** {@code {"group": ..., "version": ..., "kind": ...}} in upstream's field order. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("group", group);
        node.put("version", version);
        node.put("kind", kind);
        return node;
    }

    /** "v1" for the core group, else "group/version". */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }
}
