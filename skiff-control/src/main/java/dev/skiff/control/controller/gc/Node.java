package dev.skiff.control.controller.gc;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.List;

/**
 * What the collector knows of one object: identity, owners, finalizers and whether it is being deleted. An
 * immutable snapshot; the graph replaces it on every informer event.
 */
public record Node(ObjectId id, List<OwnerRef> owners, List<String> finalizers, boolean beingDeleted) {

    /** The finalizer of foreground deletion, which the collector removes once blocking dependents are gone. */
    public static final String FOREGROUND = "foregroundDeletion";
    /** The finalizer of orphaning, which the collector removes once dependents lost their owner references. */
    public static final String ORPHAN = "orphan";

    public Node {
        owners = List.copyOf(owners);
        finalizers = List.copyOf(finalizers);
    }

    public static Node of(ResourceKind resource, HasMetadata object) {
        ObjectMeta meta = object.getMetadata();
        return new Node(new ObjectId(resource, meta.getNamespace(), meta.getName(), meta.getUid()),
                OwnerRef.of(meta.getOwnerReferences()),
                meta.getFinalizers() == null ? List.of() : meta.getFinalizers(),
                meta.getDeletionTimestamp() != null);
    }

    public String uid() {
        return id.uid();
    }

    /** Marked for foreground deletion: waits for its blocking dependents (upstream's {@code isDeletingDependents}). */
    public boolean deletingDependents() {
        return beingDeleted && finalizers.contains(FOREGROUND);
    }

    /** Marked for deletion with the orphan finalizer: its dependents are to be released. */
    public boolean orphaningDependents() {
        return beingDeleted && finalizers.contains(ORPHAN);
    }

    /** This object's reference to the owner with the uid, or null. */
    public OwnerRef ownerRef(String ownerUid) {
        for (OwnerRef ref : owners) {
            if (ref.uid().equals(ownerUid)) {
                return ref;
            }
        }
        return null;
    }
}
