package dev.skiff.node.runtime;

import java.util.List;
import java.util.Objects;

/**
 * A command to run inside a running container, as {@code kubectl exec}.
 *
 * @param command the argv, at least one element
 * @param stdin   whether the caller sends input
 * @param tty     whether the command runs with a terminal (stderr is then merged into stdout)
 */
public record ExecRequest(List<String> command, boolean stdin, boolean tty) {

    public ExecRequest {
        command = List.copyOf(Objects.requireNonNull(command, "command"));
        if (command.isEmpty()) {
            throw new IllegalArgumentException("exec needs a command");
        }
    }
}
