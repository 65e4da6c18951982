package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.FilterPlugin;
import dev.skiff.control.scheduler.framework.FilterStatus;
import dev.skiff.control.scheduler.framework.NodeFilter;
import dev.skiff.control.scheduler.framework.PodCycle;
import dev.skiff.control.scheduler.model.Tolerations;
import io.fabric8.kubernetes.api.model.Taint;

/**
 * Rejects cordoned nodes ({@code spec.unschedulable}) unless the pod tolerates the
 * {@code node.kubernetes.io/unschedulable:NoSchedule} taint, as upstream's NodeUnschedulable plugin.
 */
public final class NodeUnschedulable implements FilterPlugin {

    public static final String NAME = "NodeUnschedulable";
    static final String REASON = "node(s) were unschedulable";
    private static final Taint UNSCHEDULABLE_TAINT = new Taint("NoSchedule", "node.kubernetes.io/unschedulable",
            null, null);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NodeFilter prepare(PodCycle cycle) {
        if (Tolerations.tolerated(cycle.pod().tolerations(), UNSCHEDULABLE_TAINT)) {
            return NodeFilter.PASS_ALL;
        }
        return node -> node.unschedulable() ? FilterStatus.unresolvable(REASON) : FilterStatus.PASS;
    }
}
