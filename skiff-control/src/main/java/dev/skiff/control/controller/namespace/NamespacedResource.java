package dev.skiff.control.controller.namespace;

import java.util.Set;

/**
 * One namespaced resource the API server serves, as discovery lists it (preferred version of its group).
 *
 * @param group   API group, {@code ""} for the core group
 * @param version the group's preferred version
 * @param plural  the resource's plural name, e.g. {@code deployments}
 * @param verbs   the verbs discovery lists for it
 */
record NamespacedResource(String group, String version, String plural, Set<String> verbs) {

    NamespacedResource {
        verbs = Set.copyOf(verbs);
    }

    /** The collection's path in a namespace, e.g. {@code /apis/apps/v1/namespaces/x/deployments}. */
    String path(String namespace) {
        String prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        return prefix + "/namespaces/" + namespace + "/" + plural;
    }

    /** Upstream's way of naming it in conditions: {@code resource.group} ({@code pods.} for the core group). */
    String groupResource() {
        return plural + "." + group;
    }
}
