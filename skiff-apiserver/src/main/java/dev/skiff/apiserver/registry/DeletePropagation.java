package dev.skiff.apiserver.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a delete propagates to the object's dependents, as the garbage-collector finalizers it leaves on the object
 * (upstream's {@code deletionFinalizersForGarbageCollection} in the generic registry): {@code Foreground} adds
 * {@code foregroundDeletion} (the object stays, marked, until the collector has removed its blocking dependents),
 * {@code Orphan} adds {@code orphan} (the collector strips the owner reference from the dependents first), and
 * {@code Background} adds neither (the object goes now, the collector removes dependents later). Each request
 * replaces whichever of the two the object already carries. Pure value; thread-safe.
 *
 * @param propagationPolicy the client's {@code propagationPolicy}, null if it gave none
 * @param orphanDependents  the client's legacy {@code orphanDependents}, null if it gave none
 * @param defaults          the resource's default for requests that give neither
 */
public record DeletePropagation(String propagationPolicy, Boolean orphanDependents,
        GarbageCollectionPolicy defaults) {

    /** The finalizer of {@code Orphan} propagation ({@code metav1.FinalizerOrphanDependents}). */
    public static final String ORPHAN_FINALIZER = "orphan";
    /** The finalizer of {@code Foreground} propagation ({@code metav1.FinalizerDeleteDependents}). */
    public static final String FOREGROUND_FINALIZER = "foregroundDeletion";

    /** Leaves finalizers alone: internal deletes that are not client requests. */
    public static final DeletePropagation NONE = new DeletePropagation(null, null, GarbageCollectionPolicy.UNSUPPORTED);

    public DeletePropagation {
        Objects.requireNonNull(defaults, "defaults");
    }

    /**
     * The object's finalizers after this delete: the two garbage-collector finalizers removed, then the one this
     * delete asks for appended (the others keep their order). Returns {@code existing} itself when the set does not
     * change, so callers can tell a no-op.
     */
    public List<String> finalizers(List<String> existing) {
        if (defaults == GarbageCollectionPolicy.UNSUPPORTED) {
            return existing;
        }
        boolean orphan = shouldOrphan(existing);
        boolean foreground = shouldDeleteInForeground(existing);
        List<String> next = new ArrayList<>();
        for (String f : existing) {
            if (!f.equals(ORPHAN_FINALIZER) && !f.equals(FOREGROUND_FINALIZER)) {
                next.add(f);
            }
        }
        if (orphan) {
            next.add(ORPHAN_FINALIZER);
        }
        if (foreground) {
            next.add(FOREGROUND_FINALIZER);
        }
        return Set.copyOf(next).equals(Set.copyOf(existing)) ? existing : List.copyOf(next);
    }

    /** Options first, then a finalizer the object already has, then the resource's default (upstream's order). */
    private boolean shouldOrphan(List<String> existing) {
        if (orphanDependents != null) {
            return orphanDependents;
        }
        if (propagationPolicy != null) {
            return propagationPolicy.equals("Orphan");
        }
        for (String f : existing) {
            if (f.equals(ORPHAN_FINALIZER)) {
                return true;
            }
            if (f.equals(FOREGROUND_FINALIZER)) {
                return false;
            }
        }
        return defaults == GarbageCollectionPolicy.ORPHAN_DEPENDENTS;
    }

    /** Options first; an object marked for foreground deletion stays so unless the options say otherwise. */
    private boolean shouldDeleteInForeground(List<String> existing) {
        if (orphanDependents != null) {
            return false;
        }
        if (propagationPolicy != null) {
            return propagationPolicy.equals("Foreground");
        }
        return existing.contains(FOREGROUND_FINALIZER);
    }
}
