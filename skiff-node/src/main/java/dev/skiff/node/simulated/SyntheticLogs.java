package dev.skiff.node.simulated;

import dev.skiff.node.runtime.ContainerNotFoundException;
import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.ContainerStatus;
import dev.skiff.node.runtime.InstanceStatus;
import dev.skiff.node.runtime.LogLine;
import java.util.ArrayList;
import java.util.List;

/**
 * The log of a simulated container, made up from its status instead of stored: a line when an attempt starts, one
 * when SIGTERM arrives, one when it exits. Storing nothing keeps 50,000 instances cheap, and {@code kubectl logs}
 * still shows that (and when) the container ran, and that it is simulated.
 */
final class SyntheticLogs {

    private SyntheticLogs() {
    }

    /** The lines of the attempt described by {@code state}, in time order. Waiting containers have none. */
    static List<LogLine> lines(InstanceStatus instance, ContainerStatus container, ContainerState state,
                               int attempt) {
        List<LogLine> lines = new ArrayList<>(3);
        switch (state) {
            case ContainerState.Waiting ignored -> {
                return lines;
            }
            case ContainerState.Running running -> {
                lines.add(started(container, attempt, running.startedAt()));
                sigterm(instance, running.startedAt(), lines);
            }
            case ContainerState.Terminated t -> {
                if (t.startedAt() == null) {
                    return lines;
                }
                lines.add(started(container, attempt, t.startedAt()));
                if (instance.terminatingSince() != null && !instance.terminatingSince().isAfter(t.finishedAt())) {
                    sigterm(instance, t.startedAt(), lines);
                }
                String text = t.exitCode() == 137 && !t.message().isEmpty()
                        ? "[simulated] " + t.message().replace("[simulated] ", "") + " (exit code 137)"
                        : "[simulated] exited with code " + t.exitCode();
                lines.add(new LogLine(t.finishedAt(), t.exitCode() == 0 ? LogLine.Stream.STDOUT
                        : LogLine.Stream.STDERR, text));
            }
        }
        return lines;
    }

    /** The lines of the container's current attempt. */
    static List<LogLine> current(InstanceStatus instance, ContainerStatus container) {
        return lines(instance, container, container.state(), container.restartCount() + 1);
    }

    /** The lines of the container's previous attempt. */
    static List<LogLine> previous(InstanceStatus instance, ContainerStatus container) {
        if (container.lastState() == null) {
            throw new ContainerNotFoundException("previous terminated container \"" + container.name()
                    + "\" in instance " + instance.id() + " not found");
        }
        // The previous attempt ended before any SIGTERM of the instance's deletion, so none is shown for it.
        InstanceStatus beforeDeletion = new InstanceStatus(instance.id(), instance.version(), instance.state(),
                instance.podIp(), instance.createdAt(), instance.initContainers(), instance.containers(), null);
        return lines(beforeDeletion, container, container.lastState(), container.restartCount());
    }

    private static LogLine started(ContainerStatus container, int attempt, java.time.Instant at) {
        return new LogLine(at, LogLine.Stream.STDOUT, "[simulated] container " + container.name()
                + " started from image " + container.image() + " (attempt " + attempt
                + "); this instance is simulated: no process runs");
    }

    private static void sigterm(InstanceStatus instance, java.time.Instant startedAt, List<LogLine> lines) {
        if (instance.terminatingSince() != null && !instance.terminatingSince().isBefore(startedAt)) {
            lines.add(new LogLine(instance.terminatingSince(), LogLine.Stream.STDOUT,
                    "[simulated] received SIGTERM"));
        }
    }
}
