package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.ScorePlugin;

/** Upstream's {@code helper.DefaultNormalizeScore}: scales scores so the highest becomes 100, optionally reversed. */
final class Normalize {

    private Normalize() {
    }

    static void byMax(long[] scores, boolean reverse) {
        long max = 0;
        for (long s : scores) {
            max = Math.max(max, s);
        }
        if (max == 0) {
            if (reverse) {
                java.util.Arrays.fill(scores, ScorePlugin.MAX_NODE_SCORE);
            }
            return;
        }
        for (int i = 0; i < scores.length; i++) {
            long s = ScorePlugin.MAX_NODE_SCORE * scores[i] / max;
            scores[i] = reverse ? ScorePlugin.MAX_NODE_SCORE - s : s;
        }
    }
}
