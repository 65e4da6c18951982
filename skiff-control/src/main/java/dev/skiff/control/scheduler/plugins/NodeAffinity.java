package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.FilterPlugin;
import dev.skiff.control.scheduler.framework.FilterStatus;
import dev.skiff.control.scheduler.framework.NodeFilter;
import dev.skiff.control.scheduler.framework.PodCycle;
import dev.skiff.control.scheduler.model.NodeRequirement;

/**
 * Keeps nodes matching the pod's {@code nodeSelector} and required node affinity (terms ORed; within a term,
 * {@code matchExpressions} with In/NotIn/Exists/DoesNotExist/Gt/Lt and {@code matchFields} on
 * {@code metadata.name} ANDed), as upstream's NodeAffinity filter.
 */
public final class NodeAffinity implements FilterPlugin {

    public static final String NAME = "NodeAffinity";
    static final String REASON = "node(s) didn't match Pod's node affinity/selector";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NodeFilter prepare(PodCycle cycle) {
        NodeRequirement requirement = cycle.pod().nodeRequirement();
        if (requirement.isNone()) {
            return NodeFilter.PASS_ALL;
        }
        return node -> requirement.matches(node.labels(), node.name())
                ? FilterStatus.PASS : FilterStatus.unresolvable(REASON);
    }
}
