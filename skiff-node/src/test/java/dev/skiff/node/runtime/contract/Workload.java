package dev.skiff.node.runtime.contract;

import java.time.Duration;

/**
 * What the contract suite needs an instance's single container to do. Each runtime's test maps these onto its own
 * means: annotations for the simulated runtime, commands in a small image for a real one.
 */
public sealed interface Workload {

    /** Runs until stopped, and exits promptly on SIGTERM (e.g. a server). */
    record RunsUntilStopped() implements Workload {
    }

    /** Exits by itself after {@code after} with {@code exitCode} (e.g. a batch job). */
    record ExitsAfter(Duration after, int exitCode) implements Workload {
    }

    /** Runs until killed: SIGTERM is ignored, so only the kill at the end of the grace period stops it. */
    record IgnoresSigterm() implements Workload {
    }

    static Workload runsUntilStopped() {
        return new RunsUntilStopped();
    }

    static Workload exitsAfter(Duration after, int exitCode) {
        return new ExitsAfter(after, exitCode);
    }

    static Workload ignoresSigterm() {
        return new IgnoresSigterm();
    }
}
