package dev.skiff.control.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;

/** Object keys as client-go's {@code MetaNamespaceKeyFunc}: {@code namespace/name}, or {@code name} if cluster-scoped. */
public final class Keys {

    private Keys() {
    }

    public static String of(HasMetadata object) {
        return of(object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    public static String of(String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    /** The namespace part of a key ({@code ""} if cluster-scoped). */
    public static String namespace(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? "" : key.substring(0, slash);
    }

    /** The name part of a key. */
    public static String name(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? key : key.substring(slash + 1);
    }

    /** The object's controller reference (the owner reference with {@code controller: true}), or {@code null}. */
    public static OwnerReference controllerOf(HasMetadata object) {
        if (object == null || object.getMetadata().getOwnerReferences() == null) {
            return null;
        }
        for (OwnerReference ref : object.getMetadata().getOwnerReferences()) {
            if (Boolean.TRUE.equals(ref.getController())) {
                return ref;
            }
        }
        return null;
    }
}
