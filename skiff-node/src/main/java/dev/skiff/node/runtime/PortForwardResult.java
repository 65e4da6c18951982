package dev.skiff.node.runtime;

import java.util.Objects;

/** The outcome of {@link InstanceRuntime#portForward}: exactly one of these. */
public sealed interface PortForwardResult {

    /** A connection to the port is open; the caller closes it. */
    record Connected(ForwardedPort connection) implements PortForwardResult {
        public Connected {
            Objects.requireNonNull(connection, "connection");
        }
    }

    /**
     * Nothing answered on the port (connection refused, the sandbox has no network), as the kubelet reports
     * {@code error forwarding port N to pod ...} on the error stream.
     */
    record Failed(String message) implements PortForwardResult {
        public Failed {
            Objects.requireNonNull(message, "message");
        }
    }

    /** The runtime has no network namespaces to connect into (the simulated runtime). */
    record Unsupported(String reason) implements PortForwardResult {
        public Unsupported {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
