package dev.skiff.control.controller.gc;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.Objects;

/**
 * One served resource as discovery lists it, in its group's preferred version.
 *
 * @param group      API group, "" for the core group
 * @param version    the version the collector watches and writes
 * @param plural     the resource name in URLs
 * @param kind       the kind of its objects
 * @param namespaced whether its objects live in a namespace
 */
public record ResourceKind(String group, String version, String plural, String kind, boolean namespaced) {

    public ResourceKind {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(plural, "plural");
        Objects.requireNonNull(kind, "kind");
    }

    /** The group of an {@code apiVersion} ("" for "v1"). */
    public static String groupOf(String apiVersion) {
        int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** {@code Kind.group}: how owner references are matched across versions of one group. */
    public String groupKind() {
        return group.isEmpty() ? kind : kind + "." + group;
    }

    /** {@code plural.group}, as kubectl and RBAC name the resource. */
    public String groupResource() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withPlural(plural)
                .withKind(kind).withNamespaced(namespaced).build();
    }
}
