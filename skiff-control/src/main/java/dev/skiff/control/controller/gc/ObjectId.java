package dev.skiff.control.controller.gc;

import java.util.Objects;

/**
 * Which object a graph node is: its resource, coordinates and uid (upstream's {@code objectReference}).
 *
 * @param namespace "" for cluster-scoped objects
 */
public record ObjectId(ResourceKind resource, String namespace, String name, String uid) {

    public ObjectId {
        Objects.requireNonNull(resource, "resource");
        namespace = namespace == null ? "" : namespace;
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uid, "uid");
    }

    /** {@code [apiVersion/Kind, namespace: ns, name: n, uid: u]}, upstream's rendering in events and logs. */
    @Override
    public String toString() {
        return "[" + resource.apiVersion() + "/" + resource.kind() + ", namespace: " + namespace + ", name: " + name
                + ", uid: " + uid + "]";
    }
}
