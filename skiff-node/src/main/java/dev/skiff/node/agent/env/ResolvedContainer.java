package dev.skiff.node.agent.env;

import dev.skiff.node.runtime.EnvVar;
import java.util.List;

/**
 * A container's environment, command and args after resolution and {@code $(VAR)} expansion.
 *
 * @param env         the variables, in the order they were first defined (later definitions replace the value)
 * @param command     the expanded command
 * @param args        the expanded args
 * @param invalidKeys one message per envFrom source whose keys were skipped as invalid variable names, for the
 *                    kubelet's {@code InvalidEnvironmentVariableNames} warning event
 */
public record ResolvedContainer(List<EnvVar> env, List<String> command, List<String> args,
                                List<String> invalidKeys) {

    public ResolvedContainer {
        env = List.copyOf(env);
        command = command == null ? null : List.copyOf(command);
        args = args == null ? null : List.copyOf(args);
        invalidKeys = List.copyOf(invalidKeys);
    }
}
