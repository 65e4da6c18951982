package dev.skiff.apiserver.auth;

import java.util.Objects;

/**
 * A ServiceAccount a token speaks for. Immutable and thread-safe.
 *
 * @param namespace its namespace
 * @param name      its name
 * @param uid       its metadata.uid (so that a token dies with the object, not with the name)
 */
public record ServiceAccountRef(String namespace, String name, String uid) {

    public ServiceAccountRef {
        requireNonEmpty(namespace, "namespace");
        requireNonEmpty(name, "name");
        requireNonEmpty(uid, "uid");
    }

    /** The user name Kubernetes gives it: {@code system:serviceaccount:<namespace>:<name>}. Thread-safe. */
    public String userName() {
        return ServiceAccountTokens.USER_PREFIX + namespace + ":" + name;
    }

    static void requireNonEmpty(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }
}
