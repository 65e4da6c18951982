package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.registry.DeletionPolicy;
import java.util.List;
import java.util.Optional;

/**
 * What one resource type adds to the generic verbs of {@link ResourceHandler}, in the places upstream's per-kind
 * strategies and a CRD's serving info act: decoding (pruning and defaulting), preparation and validation of
 * writes, accepted patch types, deletion, and subresources the generic verbs do not serve. Built-in kinds use
 * {@link #GENERIC}; custom resources get one from their definition. Implementations are thread-safe.
 */
public interface TypeStrategy {

    /** Nothing beyond the generic behaviour. */
    TypeStrategy GENERIC = new TypeStrategy() {
    };

    /** Warnings every request for this type carries, e.g. that its version is deprecated. */
    default List<String> warnings() {
        return List.of();
    }

    /** Throws 415 unless PATCH bodies of {@code media} may be applied to this type. */
    default void checkPatchType(String media) {
    }

    /**
     * Completes the decoding of a request body, or of the result of a patch, as upstream's decoder for the type
     * does: drops fields the type does not know and applies defaults. Returns the paths of the dropped fields, which
     * {@link FieldValidation} reports.
     */
    default List<String> decode(ObjectNode object) {
        return List.of();
    }

    /** Runs after the generic create preparation; may throw to refuse the create. */
    default void prepareForCreate(ObjectNode object) {
    }

    /** Runs after the generic update preparation of the resource ({@code subresource} "") or a subresource. */
    default void prepareForUpdate(ObjectNode current, ObjectNode next, String subresource) {
    }

    /** Throws 422 Invalid unless {@code object} is valid; {@code current} is null on create. */
    default void validate(ObjectNode object, ObjectNode current) {
    }

    /** When a delete only marks an object of this type. */
    default DeletionPolicy deletionPolicy() {
        return DeletionPolicy.DEFAULT;
    }

    /**
     * How server-side apply merges and owns this type's lists and maps; empty for the built-in table
     * ({@link BuiltinShape}).
     */
    default Optional<dev.skiff.apiserver.apply.Shape> applyShape() {
        return Optional.empty();
    }

    /**
     * Runs after a create is validated and before it is stored (upstream's {@code BeginCreate}): reserves what the
     * object holds outside itself (a Service's cluster IP and node ports) and records it in the object. May throw
     * to refuse the create. The handler calls the result exactly once, with whether the object was stored.
     */
    default Finish beginCreate(ObjectNode object, boolean dryRun) {
        return Finish.NOTHING;
    }

    /**
     * Runs after an update of the resource ({@code subresource} "") or a subresource is prepared and validated,
     * before it is written (upstream's {@code BeginUpdate}); called again for each retry of an optimistic update.
     * The handler calls the result exactly once, with whether this attempt was written.
     */
    default Finish beginUpdate(ObjectNode current, ObjectNode next, String subresource, boolean dryRun) {
        return Finish.NOTHING;
    }

    /** Runs after an object of this type was removed from storage (upstream's {@code AfterDelete}). */
    default void afterDelete(ObjectNode removed) {
    }

    /** Whether a delete that removed the object answers with it rather than a Status (upstream's ReturnDeletedObject). */
    default boolean returnsDeletedObject() {
        return false;
    }

    /** Settles what a write reserved: kept when the write was stored, given back when not. */
    @FunctionalInterface
    interface Finish {

        /** Nothing was reserved. */
        Finish NOTHING = stored -> { };

        void finish(boolean stored);
    }

    /** The handler of subresource {@code name} when this type serves it itself (e.g. a custom resource's scale). */
    default Optional<SubresourceHandler> subresource(String name) {
        return Optional.empty();
    }
}
