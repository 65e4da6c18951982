package dev.skiff.node.runtime;

import java.util.Objects;

/** How an exec ended: exactly one of these. */
public sealed interface ExecResult {

    /** The command ran and exited with this code. */
    record Exited(int exitCode) implements ExecResult {
    }

    /**
     * The runtime cannot run commands in this container at all (the simulated runtime has no processes). The node
     * agent answers the client with an error carrying {@code reason}.
     */
    record Unsupported(String reason) implements ExecResult {
        public Unsupported {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
