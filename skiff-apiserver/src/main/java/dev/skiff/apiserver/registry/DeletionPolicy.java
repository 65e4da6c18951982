package dev.skiff.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * When a delete only marks an object instead of removing it, and what marking adds. The default is upstream's:
 * pending {@code metadata.finalizers} keep the object, marked with {@code deletionTimestamp}. Namespaces add
 * {@code spec.finalizers} and the Terminating phase.
 *
 * @param pending whether something must still finalize the object before it can go
 * @param onMark  further changes when the object is first marked for deletion
 */
public record DeletionPolicy(Predicate<ObjectNode> pending, UnaryOperator<ObjectNode> onMark) {

    public static final DeletionPolicy DEFAULT = new DeletionPolicy(DeletionPolicy::hasMetadataFinalizers, o -> o);

    public static final DeletionPolicy NAMESPACE = new DeletionPolicy(
            o -> hasMetadataFinalizers(o) || nonEmpty(o.path("spec").path("finalizers")),
            o -> {
                o.withObjectProperty("status").put("phase", "Terminating");
                return o;
            });

    static boolean hasMetadataFinalizers(ObjectNode object) {
        return nonEmpty(object.path("metadata").path("finalizers"));
    }

    private static boolean nonEmpty(JsonNode node) {
        return node.isArray() && !node.isEmpty();
    }
}
