package dev.skiff.control.scheduler.framework;

import java.util.List;

/**
 * A score extension point (upstream's PreScore + Score + NormalizeScore). Scores are integers in
 * 0..{@value #MAX_NODE_SCORE} after normalization; the profile multiplies them by the plugin's weight and sums them.
 *
 * <p>Implementations are stateless between cycles and thread-safe; no I/O, never blocking, no snapshot changes.
 */
public interface ScorePlugin {

    /** Upstream's {@code framework.MaxNodeScore}. */
    long MAX_NODE_SCORE = 100;

    String name();

    /**
     * Prepares scoring of the cycle's pod over the nodes that passed every filter ({@code feasible}, at least two).
     *
     * @return the scorer, or {@link NodeScorer#SKIP} when the plugin does not apply to this pod
     */
    NodeScorer prepare(PodCycle cycle, List<NodeInfo> feasible);
}
