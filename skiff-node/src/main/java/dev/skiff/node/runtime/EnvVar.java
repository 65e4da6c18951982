package dev.skiff.node.runtime;

import java.util.Objects;

/**
 * One environment variable with its value already resolved by the node agent (ConfigMap, Secret and downward API
 * references are the agent's business, not the runtime's). Kept as a list, not a map: order matters for
 * {@code $(VAR)} expansion in Kubernetes.
 */
public record EnvVar(String name, String value) {

    public EnvVar {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("environment variable name must not be empty");
        }
        value = value == null ? "" : value;
    }
}
