package dev.skiff.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.resource.ResourceType;

/**
 * Shapes an object of a type as it leaves storage, before anyone sees it (responses, watch events, the watch cache,
 * and the current state an update starts from). kube-apiserver's storage codec for custom resources does this:
 * converts to the requested version, prunes and applies the schema's defaults, so a default added to a CRD shows up
 * on existing objects. Must be cheap for types it does not concern, and thread-safe.
 */
@FunctionalInterface
public interface ReadHook {

    /** Leaves every object as stored. */
    ReadHook NONE = new ReadHook() {
        @Override
        public ObjectNode onRead(ResourceType type, ObjectNode object) {
            return object;
        }

        @Override
        public boolean shapes(ResourceType type) {
            return false;
        }
    };

    /** Returns {@code object} (which it may modify in place) or a replacement. */
    ObjectNode onRead(ResourceType type, ObjectNode object);

    /**
     * Whether this hook may shape objects of {@code type} (when false, an object leaves storage exactly as stored,
     * so a copy encoded earlier from the same stored revision is still what a read returns). Thread-safe; the
     * default answers true, the safe answer for a hook that does not say.
     */
    default boolean shapes(ResourceType type) {
        return true;
    }
}
