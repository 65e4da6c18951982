package dev.skiff.apiserver.resource;

import java.util.List;
import java.util.Objects;

/**
 * One resource of one API group version, as discovery lists it.
 *
 * @param group        API group, "" for the core group
 * @param version      API version, e.g. "v1"
 * @param kind         object kind, e.g. "Pod"
 * @param plural       resource name in URLs, e.g. "pods"
 * @param singular     singular name, e.g. "pod"
 * @param namespaced   whether objects live in a namespace
 * @param shortNames   kubectl short names, e.g. "po"
 * @param categories   kubectl categories, e.g. "all"
 * @param verbs        verbs on the collection and items
 * @param subresources subresource names, e.g. "status", "scale"
 */
public record ResourceType(String group, String version, String kind, String plural, String singular,
        boolean namespaced, List<String> shortNames, List<String> categories, List<String> verbs,
        List<String> subresources) {

    /** The verbs of an ordinary stored resource. */
    public static final List<String> ALL_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    public ResourceType {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(plural, "plural");
        Objects.requireNonNull(singular, "singular");
        shortNames = List.copyOf(shortNames);
        categories = List.copyOf(categories);
        verbs = List.copyOf(verbs);
        subresources = List.copyOf(subresources);
    }

    /** "v1" for the core group, else "group/version": the apiVersion field of objects of this type. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** "pods" or "deployments.apps": how kubectl and RBAC name the resource across groups. */
    public String groupResource() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    /** The kind of the list object, e.g. "PodList". */
    public String listKind() {
        return kind + "List";
    }

    public boolean hasSubresource(String name) {
        return subresources.contains(name);
    }

    public boolean supports(String verb) {
        return verbs.contains(verb);
    }
}
