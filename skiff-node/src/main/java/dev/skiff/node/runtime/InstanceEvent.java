package dev.skiff.node.runtime;

import java.time.Instant;
import java.util.Objects;

/**
 * A notification from a runtime about one instance. Per instance, a subscriber receives them in the order they
 * happened: {@link StatusChanged} with growing {@link InstanceStatus#version()}s, {@link Occurred} in between, and
 * {@link Removed} last, once.
 */
public sealed interface InstanceEvent {

    InstanceId id();

    /** The instance changed (including its creation); the snapshot is the state right after the change. */
    record StatusChanged(InstanceStatus status) implements InstanceEvent {
        public StatusChanged {
            Objects.requireNonNull(status, "status");
        }

        @Override
        public InstanceId id() {
            return status.id();
        }
    }

    /**
     * Something a kubelet would record as an Event on the pod: {@code Pulling}, {@code Pulled}, {@code Created},
     * {@code Started}, {@code Killing}, {@code BackOff}... The node agent turns these into Kubernetes Events.
     *
     * @param container the container concerned, or null for the instance as a whole
     * @param warning   whether Kubernetes would record it with type Warning (otherwise Normal)
     */
    record Occurred(InstanceId id, String container, boolean warning, String reason, String message, Instant at)
            implements InstanceEvent {
        public Occurred {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(at, "at");
            message = message == null ? "" : message;
        }
    }

    /** The instance is gone after a delete; {@code last} is its final, terminal status. */
    record Removed(InstanceId id, InstanceStatus last) implements InstanceEvent {
        public Removed {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(last, "last");
        }
    }
}
