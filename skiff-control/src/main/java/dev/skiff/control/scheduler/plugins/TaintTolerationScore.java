package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.NodeInfo;
import dev.skiff.control.scheduler.framework.NodeScorer;
import dev.skiff.control.scheduler.framework.PodCycle;
import dev.skiff.control.scheduler.framework.ScorePlugin;
import dev.skiff.control.scheduler.model.Tolerations;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;

/**
 * Prefers nodes with fewer {@code PreferNoSchedule} taints the pod does not tolerate, as upstream's TaintToleration
 * score: the count of such taints, reverse-normalized (no intolerable taint scores 100). Only tolerations with an
 * empty or {@code PreferNoSchedule} effect count.
 */
public final class TaintTolerationScore implements ScorePlugin {

    public static final String NAME = "TaintToleration";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NodeScorer prepare(PodCycle cycle, List<NodeInfo> feasible) {
        List<Toleration> preferNoSchedule = cycle.pod().tolerations().stream()
                .filter(t -> t.getEffect() == null || t.getEffect().isEmpty()
                        || Tolerations.PREFER_NO_SCHEDULE.equals(t.getEffect()))
                .toList();
        return new NodeScorer() {
            @Override
            public long score(NodeInfo node) {
                long count = 0;
                for (Taint taint : node.taints()) {
                    if (Tolerations.PREFER_NO_SCHEDULE.equals(taint.getEffect())
                            && !Tolerations.tolerated(preferNoSchedule, taint)) {
                        count++;
                    }
                }
                return count;
            }

            @Override
            public void normalize(List<NodeInfo> nodes, long[] scores) {
                Normalize.byMax(scores, true);
            }
        };
    }
}
