package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.FilterPlugin;
import dev.skiff.control.scheduler.framework.FilterStatus;
import dev.skiff.control.scheduler.framework.NodeFilter;
import dev.skiff.control.scheduler.framework.PodCycle;

/** Keeps only the node named by {@code spec.nodeName} when the pod names one, as upstream's NodeName plugin. */
public final class NodeName implements FilterPlugin {

    public static final String NAME = "NodeName";
    static final String REASON = "node(s) didn't match the requested node name";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NodeFilter prepare(PodCycle cycle) {
        String wanted = cycle.pod().nodeName();
        if (wanted.isEmpty()) {
            return NodeFilter.PASS_ALL;
        }
        return node -> wanted.equals(node.name()) ? FilterStatus.PASS : FilterStatus.unresolvable(REASON);
    }
}
