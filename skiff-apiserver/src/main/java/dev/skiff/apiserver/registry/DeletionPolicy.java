package dev.skiff.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * When a delete only marks an object instead of removing it, and what marking adds. The default is upstream's:
 * pending {@code metadata.finalizers} keep the object, marked with {@code deletionTimestamp}. Namespaces add
 * {@code spec.finalizers} and the Terminating phase. Kinds deleted gracefully (pods) add a {@link GracePeriod}: the
 * object is marked with {@code deletionTimestamp = now + grace} and stays until a later delete ends the grace.
 *
 * @param pending     whether something must still finalize the object before it can go
 * @param onMark      further changes when the object is first marked for deletion
 * @param gracePeriod how long the kind's objects get to terminate; {@link GracePeriod#NONE} for most kinds
 */
public record DeletionPolicy(Predicate<ObjectNode> pending, UnaryOperator<ObjectNode> onMark,
        GracePeriod gracePeriod) {

    public static final DeletionPolicy DEFAULT = new DeletionPolicy(DeletionPolicy::hasMetadataFinalizers, o -> o);

    public static final DeletionPolicy NAMESPACE = new DeletionPolicy(
            o -> hasMetadataFinalizers(o) || nonEmpty(o.path("spec").path("finalizers")),
            o -> {
                o.withObjectProperty("status").put("phase", "Terminating");
                return o;
            });

    public DeletionPolicy {
        Objects.requireNonNull(pending, "pending");
        Objects.requireNonNull(onMark, "onMark");
        Objects.requireNonNull(gracePeriod, "gracePeriod");
    }

    /** A policy without graceful deletion. */
    public DeletionPolicy(Predicate<ObjectNode> pending, UnaryOperator<ObjectNode> onMark) {
        this(pending, onMark, GracePeriod.NONE);
    }

    /**
     * The grace period of a graceful delete, as upstream's {@code CheckGracefulDelete} decides it for a kind.
     * Implementations are pure and thread-safe.
     */
    @FunctionalInterface
    public interface GracePeriod {

        /** The kind is never deleted gracefully. */
        GracePeriod NONE = (object, requested) -> OptionalLong.empty();

        /**
         * The seconds {@code object} gets before it is removed, or empty if this delete is not graceful at all.
         *
         * @param requested the client's {@code gracePeriodSeconds} (never negative), null when it gave none
         */
        OptionalLong of(ObjectNode object, Long requested);
    }

    /**
     * Whether an update that leaves {@code object} like this removes it instead: it is marked for deletion, nothing
     * is pending and no grace period is running (upstream's {@code shouldDeleteDuringUpdate}: a gracefully deleted
     * pod whose last finalizer goes stays until its kubelet deletes it).
     */
    public boolean removesOnUpdate(ObjectNode object) {
        JsonNode metadata = object.path("metadata");
        return metadata.hasNonNull("deletionTimestamp") && !pending.test(object)
                && metadata.path("deletionGracePeriodSeconds").asLong(0) <= 0;
    }

    static boolean hasMetadataFinalizers(ObjectNode object) {
        return nonEmpty(object.path("metadata").path("finalizers"));
    }

    private static boolean nonEmpty(JsonNode node) {
        return node.isArray() && !node.isEmpty();
    }
}
