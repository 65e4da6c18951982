package dev.skiff.node.runtime;

import java.util.Objects;

/** The outcome of {@link InstanceRuntime#delete}: exactly one of these. */
public sealed interface DeleteResult {

    /** The instance is gone; {@code last} is its final, terminal status. */
    record Deleted(InstanceStatus last) implements DeleteResult {
        public Deleted {
            Objects.requireNonNull(last, "last");
        }
    }

    /** No such instance (never created, or already gone): nothing to do. */
    record NotFound(InstanceId id) implements DeleteResult {
        public NotFound {
            Objects.requireNonNull(id, "id");
        }
    }
}
