package dev.skiff.node.agent.probe;

import java.util.Objects;

/**
 * The result of running a probe or hook handler once.
 *
 * @param success whether it passed
 * @param output  what it said (the failure reason for events), possibly empty
 */
public record Outcome(boolean success, String output) {

    public Outcome {
        Objects.requireNonNull(output, "output");
    }

    public static Outcome success(String output) {
        return new Outcome(true, output);
    }

    public static Outcome failure(String output) {
        return new Outcome(false, output);
    }
}
