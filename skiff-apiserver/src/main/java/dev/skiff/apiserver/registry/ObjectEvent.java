package dev.skiff.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One Kubernetes watch event: {@code ADDED}, {@code MODIFIED} or {@code DELETED} with the object (for a delete, the
 * last state with the deletion's resourceVersion), or {@code BOOKMARK}.
 */
public record ObjectEvent(Type type, ObjectNode object, long revision) {

    /** The event types of the watch protocol. */
    public enum Type { ADDED, MODIFIED, DELETED, BOOKMARK }
}
