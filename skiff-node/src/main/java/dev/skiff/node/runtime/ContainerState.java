package dev.skiff.node.runtime;

import java.time.Instant;
import java.util.Objects;

/**
 * What one container is doing, as a pod's {@code containerStatuses[].state}: exactly one of waiting, running or
 * terminated.
 */
public sealed interface ContainerState {

    /**
     * Not running yet or between restarts.
     *
     * @param reason  the kubelet's word for why: {@code ContainerCreating}, {@code PodInitializing},
     *                {@code CrashLoopBackOff}, {@code ErrImagePull}, ...
     * @param message details, possibly empty
     */
    record Waiting(String reason, String message) implements ContainerState {
        public Waiting {
            Objects.requireNonNull(reason, "reason");
            message = message == null ? "" : message;
        }
    }

    /** Running since {@code startedAt}. */
    record Running(Instant startedAt) implements ContainerState {
        public Running {
            Objects.requireNonNull(startedAt, "startedAt");
        }
    }

    /**
     * Exited.
     *
     * @param exitCode   the process's exit code (137 when killed by SIGKILL, as the kubelet reports it)
     * @param reason     {@code Completed} for exit code 0, {@code Error} otherwise, or a runtime-specific word
     * @param message    details, possibly empty
     * @param startedAt  when it started, or null if it never did
     * @param finishedAt when it exited
     */
    record Terminated(int exitCode, String reason, String message, Instant startedAt, Instant finishedAt)
            implements ContainerState {
        public Terminated {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(finishedAt, "finishedAt");
            message = message == null ? "" : message;
        }

        /** The kubelet's reason for an exit code: {@code Completed} for 0, {@code Error} otherwise. */
        public static String reasonFor(int exitCode) {
            return exitCode == 0 ? "Completed" : "Error";
        }
    }
}
