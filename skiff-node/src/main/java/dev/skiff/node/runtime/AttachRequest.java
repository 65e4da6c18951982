package dev.skiff.node.runtime;

/**
 * Which streams of a running container's main process to attach to, as {@code kubectl attach}.
 *
 * @param stdin whether the caller writes to the process's stdin (the container must have {@code stdin: true})
 * @param tty   whether the container runs with a terminal (stderr is then merged into stdout)
 */
public record AttachRequest(boolean stdin, boolean tty) {
}
