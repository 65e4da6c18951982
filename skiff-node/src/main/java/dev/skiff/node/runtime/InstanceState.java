package dev.skiff.node.runtime;

import java.time.Instant;
import java.util.Objects;

/**
 * Where an instance is in its life, shaped like a pod's {@code phase} with a reason. {@link Succeeded} and
 * {@link Failed} are terminal: an instance in them never runs again and only waits to be deleted.
 */
public sealed interface InstanceState {

    /** Whether the instance will never run again. */
    default boolean terminal() {
        return this instanceof Succeeded || this instanceof Failed;
    }

    /** The pod phase this state maps to. */
    String phase();

    /**
     * Accepted, not running yet: the sandbox is being created, images pulled, init containers run.
     *
     * @param reason  a short word for the current step ({@code Pulling}, {@code Creating}, {@code PodInitializing}...)
     * @param message details, possibly empty
     */
    record Pending(String reason, String message) implements InstanceState {
        public Pending {
            Objects.requireNonNull(reason, "reason");
            message = message == null ? "" : message;
        }

        @Override
        public String phase() {
            return "Pending";
        }
    }

    /** At least one container is running, starting or restarting (the kubelet's rule for phase Running). */
    record Running(Instant since) implements InstanceState {
        public Running {
            Objects.requireNonNull(since, "since");
        }

        @Override
        public String phase() {
            return "Running";
        }
    }

    /** Every container exited with 0 and none will restart. */
    record Succeeded(Instant finishedAt) implements InstanceState {
        public Succeeded {
            Objects.requireNonNull(finishedAt, "finishedAt");
        }

        @Override
        public String phase() {
            return "Succeeded";
        }
    }

    /**
     * Ended in failure: a container exited non-zero and will not restart, or the runtime could not create it.
     *
     * @param reason  a short word ({@code Error}, {@code ProviderFailed}, ...)
     * @param message details for a human
     */
    record Failed(String reason, String message, Instant finishedAt) implements InstanceState {
        public Failed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(finishedAt, "finishedAt");
            message = message == null ? "" : message;
        }

        @Override
        public String phase() {
            return "Failed";
        }
    }
}
