package dev.skiff.control.controller.gc;

import java.util.List;
import java.util.Set;

/** What the collector does with one object; {@link GcRules} decides, the collector carries it out. */
public sealed interface Decision {

    /** Nothing to do (live owners, or the object is already on its way out). */
    record Keep() implements Decision {
    }

    /** Live owners remain: only the references to absent or foreground-deleting owners go. */
    record RemoveOwnerReferences(Set<String> ownerUids) implements Decision {
    }

    /**
     * Delete the object with this propagation policy (with a uid precondition); when {@code unblockFirst}, its
     * owner references first lose {@code blockOwnerDeletion}, to break a cycle of foreground deletions.
     */
    record Delete(String propagationPolicy, boolean unblockFirst) implements Decision {
    }

    /** Remove a finalizer the collector is responsible for ({@code foregroundDeletion} or {@code orphan}). */
    record RemoveFinalizer(String finalizer) implements Decision {
    }

    /** The object waits for these blocking dependents; each is to be (re)considered for deletion. */
    record AwaitDependents(List<Node> dependents) implements Decision {
    }

    /** An owner reference that can never be valid: reported, and the object is left alone. */
    record InvalidOwner(OwnerRef ref) implements Decision {
    }
}
