package dev.skiff.server;

import java.util.Locale;

/**
 * What runs pods ({@code --runtime}): {@code cri} runs every pod in a real sandbox through a containerd Skiff starts
 * under its data dir (decision 027); {@code simulated} starts the virtual nodes and the scheduler with pods running
 * on the simulated instance runtime (no workload actually runs: for development and scale tests until the sandbox
 * runtime exists); {@code none} serves the API only, and pods stay Pending.
 */
enum RuntimeChoice {
    CRI,
    SIMULATED,
    NONE;

    static RuntimeChoice parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "cri" -> CRI;
            case "simulated" -> SIMULATED;
            case "none" -> NONE;
            default -> throw new IllegalArgumentException("--runtime must be cri, simulated or none, not '" + text + "'");
        };
    }

    /** How the ready line describes where pods run. */
    String describe() {
        return switch (this) {
            case CRI -> "pods run in containerd sandboxes";
            case SIMULATED -> "pods run on the simulated runtime";
            case NONE -> "no runtime: pods stay Pending";
        };
    }
}
