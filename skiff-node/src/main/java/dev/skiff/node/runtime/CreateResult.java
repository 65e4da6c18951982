package dev.skiff.node.runtime;

import java.util.Objects;

/** The outcome of {@link InstanceRuntime#create}: exactly one of these. */
public sealed interface CreateResult {

    /** The instance is new; {@code status} is its first snapshot (usually {@link InstanceState.Pending}). */
    record Created(InstanceStatus status) implements CreateResult {
        public Created {
            Objects.requireNonNull(status, "status");
        }
    }

    /** An instance with this id and an equal spec already existed; nothing changed. */
    record Existing(InstanceStatus status) implements CreateResult {
        public Existing {
            Objects.requireNonNull(status, "status");
        }
    }

    /**
     * An instance with this id exists with another spec; nothing changed. Instances are immutable, as pods are: the
     * caller deletes and recreates to change one.
     */
    record SpecConflict(InstanceStatus existing, String message) implements CreateResult {
        public SpecConflict {
            Objects.requireNonNull(existing, "existing");
            Objects.requireNonNull(message, "message");
        }
    }
}
