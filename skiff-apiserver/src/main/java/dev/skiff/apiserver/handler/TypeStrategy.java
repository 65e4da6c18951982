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

    /** The handler of subresource {@code name} when this type serves it itself (e.g. a custom resource's scale). */
    default Optional<SubresourceHandler> subresource(String name) {
        return Optional.empty();
    }
}
