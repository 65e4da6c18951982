package dev.skiff.control.scheduler.framework;

import java.util.List;

/**
 * A score prepared for one pod over the feasible nodes (upstream's Score + NormalizeScore). Pure; confined to one
 * cycle on the scheduling thread.
 */
public interface NodeScorer {

    /** Marks a plugin that has nothing to say for this pod (upstream's {@code Skip} status from PreScore). */
    NodeScorer SKIP = node -> 0;

    /** The raw score of one feasible node. */
    long score(NodeInfo node);

    /**
     * Rewrites the raw scores of {@code nodes} (same order) into 0..{@value ScorePlugin#MAX_NODE_SCORE}. The default
     * leaves scores unchanged, for plugins whose raw score is already in range.
     */
    default void normalize(List<NodeInfo> nodes, long[] scores) {
    }
}
