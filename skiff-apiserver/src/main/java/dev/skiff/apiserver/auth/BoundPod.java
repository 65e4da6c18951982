package dev.skiff.apiserver.auth;

/**
 * The pod a token is bound to (a projected ServiceAccount token): the token is meant to stop working when the pod is
 * gone. Immutable and thread-safe.
 *
 * @param name the pod's name (same namespace as the ServiceAccount)
 * @param uid  the pod's metadata.uid
 */
public record BoundPod(String name, String uid) {

    public BoundPod {
        ServiceAccountRef.requireNonEmpty(name, "name");
        ServiceAccountRef.requireNonEmpty(uid, "uid");
    }
}
