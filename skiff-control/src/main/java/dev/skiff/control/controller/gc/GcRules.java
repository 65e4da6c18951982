package dev.skiff.control.controller.gc;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The collector's decisions as pure functions over snapshots, after upstream's {@code attemptToDeleteItem},
 * {@code processDeletingDependentsItem} and {@code attemptToOrphanWorker}. No I/O; thread-safe.
 */
public final class GcRules {

    private GcRules() {
    }

    /**
     * Whether {@code dependent} really depends on {@code owner}: owner references carry no namespace, so a
     * namespaced owner only owns objects in its own namespace, and a cluster-scoped owner owns any object. A
     * reference from elsewhere that happens to carry the owner's uid is invalid (upstream reports it with
     * {@code OwnerRefInvalidNamespace}) and is ignored for blocking and orphaning.
     */
    public static boolean isValidDependent(Node owner, Node dependent) {
        return !owner.id().resource().namespaced() || owner.id().namespace().equals(dependent.id().namespace());
    }

    /**
     * An object marked for foreground deletion: once no dependent blocks it (an owner reference to it with
     * {@code blockOwnerDeletion}), its {@code foregroundDeletion} finalizer goes; until then the blocking
     * dependents that are not themselves waiting for theirs are to be deleted.
     */
    public static Decision forDeletingDependents(Node item, List<Node> dependents) {
        List<Node> blocking = new ArrayList<>();
        for (Node dependent : dependents) {
            OwnerRef ref = dependent.ownerRef(item.uid());
            if (ref != null && ref.blockOwnerDeletion() && isValidDependent(item, dependent)) {
                blocking.add(dependent);
            }
        }
        if (blocking.isEmpty()) {
            return new Decision.RemoveFinalizer(Node.FOREGROUND);
        }
        return new Decision.AwaitDependents(blocking.stream().filter(d -> !d.deletingDependents()).toList());
    }

    /**
     * An object with owner references, given what each resolved to and the object's own (valid) dependents:
     * <ul>
     *   <li>a reference that can never be valid leaves the object alone (reported);</li>
     *   <li>with a live owner it stays, but references to absent or foreground-deleting owners are removed;</li>
     *   <li>with an owner waiting for it and dependents of its own, it is deleted in the foreground too, so the
     *       wait reaches down the chain (its references are unblocked first if one of its dependents already
     *       waits, which would otherwise deadlock a cycle);</li>
     *   <li>otherwise it is deleted, honouring a propagation finalizer it already carries, else in the
     *       background.</li>
     * </ul>
     */
    public static Decision forOwners(Node item, List<Classified> owners, List<Node> dependents) {
        if (owners.isEmpty()) {
            return new Decision.Keep();
        }
        Set<String> solid = new LinkedHashSet<>();
        Set<String> dropped = new LinkedHashSet<>();
        boolean waiting = false;
        for (Classified c : owners) {
            switch (c.state()) {
                case UNRESOLVABLE -> {
                    return new Decision.InvalidOwner(c.ref());
                }
                case SOLID -> solid.add(c.ref().uid());
                case DANGLING -> dropped.add(c.ref().uid());
                case WAITING_FOR_DEPENDENTS -> {
                    dropped.add(c.ref().uid());
                    waiting = true;
                }
            }
        }
        if (!solid.isEmpty()) {
            return dropped.isEmpty() ? new Decision.Keep() : new Decision.RemoveOwnerReferences(dropped);
        }
        if (waiting && !dependents.isEmpty()) {
            boolean cycle = dependents.stream().anyMatch(Node::deletingDependents);
            return new Decision.Delete("Foreground", cycle);
        }
        if (item.finalizers().contains(Node.ORPHAN)) {
            return new Decision.Delete("Orphan", false);
        }
        if (item.finalizers().contains(Node.FOREGROUND)) {
            return new Decision.Delete("Foreground", false);
        }
        return new Decision.Delete("Background", false);
    }

    /** The dependents whose references to {@code owner} an orphaning removes: the valid ones. */
    public static List<Node> toOrphan(Node owner, List<Node> dependents) {
        return dependents.stream().filter(d -> isValidDependent(owner, d)).toList();
    }
}
