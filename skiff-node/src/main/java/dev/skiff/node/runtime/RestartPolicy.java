package dev.skiff.node.runtime;

/**
 * When a container that exited is started again, as a pod's {@code spec.restartPolicy}. The runtime applies it to
 * every container of the instance (init containers restart unless the policy is {@link #NEVER}, as the kubelet does).
 */
public enum RestartPolicy {
    /** Restart whatever the exit code: the instance never completes on its own (Deployments). */
    ALWAYS,
    /** Restart only after a non-zero exit code; the instance succeeds once every container exited with 0 (Jobs). */
    ON_FAILURE,
    /** Never restart; the instance ends once every container exited: Succeeded if all exit codes are 0. */
    NEVER;

    /** Whether a container that exited with {@code exitCode} is started again. */
    public boolean restarts(int exitCode) {
        return switch (this) {
            case ALWAYS -> true;
            case ON_FAILURE -> exitCode != 0;
            case NEVER -> false;
        };
    }
}
