package dev.skiff.control.scheduler.framework;

import java.util.List;

/**
 * A scheduling profile: the filters in the order they run (a node's first rejection is the one reported, as
 * upstream) and the weighted score plugins.
 */
public record Profile(List<FilterPlugin> filters, List<WeightedScore> scores) {

    /** A score plugin with its weight in the profile. */
    public record WeightedScore(ScorePlugin plugin, int weight) {
    }

    public Profile {
        filters = List.copyOf(filters);
        scores = List.copyOf(scores);
    }
}
