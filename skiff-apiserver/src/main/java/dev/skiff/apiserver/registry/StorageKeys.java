package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.resource.ResourceType;

/**
 * Where objects live in storage: {@code /registry/<group>/<plural>/<namespace>/<name>} for namespaced resources
 * and {@code /registry/<group>/<plural>/<name>} for cluster-scoped ones, with {@code core} for the core group.
 * Like kube-apiserver's layout, one prefix lists a whole resource and a longer one a namespace of it.
 */
public final class StorageKeys {

    private StorageKeys() {
    }

    /** The prefix of every object of {@code type}. */
    public static String resourcePrefix(ResourceType type) {
        return "/registry/" + (type.group().isEmpty() ? "core" : type.group()) + "/" + type.plural() + "/";
    }

    /** The prefix of the objects of {@code type} in {@code namespace} ("" for all namespaces). */
    public static String collectionPrefix(ResourceType type, String namespace) {
        if (!type.namespaced() || namespace.isEmpty()) {
            return resourcePrefix(type);
        }
        return resourcePrefix(type) + namespace + "/";
    }

    /** The key of one object. */
    public static String objectKey(ResourceType type, String namespace, String name) {
        return type.namespaced()
                ? resourcePrefix(type) + namespace + "/" + name
                : resourcePrefix(type) + name;
    }
}
