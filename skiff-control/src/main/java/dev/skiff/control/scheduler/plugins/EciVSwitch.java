package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.FilterPlugin;
import dev.skiff.control.scheduler.framework.FilterStatus;
import dev.skiff.control.scheduler.framework.NodeFilter;
import dev.skiff.control.scheduler.framework.PodCycle;
import dev.skiff.control.scheduler.model.EciPlacement;

import java.util.HashSet;
import java.util.Set;

/**
 * Restricts a pod annotated {@code k8s.aliyun.com/eci-vswitch} to the virtual nodes of the listed vSwitches
 * (label {@code k8s.aliyun.com/vswitch-id}).
 *
 * <p>Not an upstream plugin: in ECI the annotation picks the vSwitch (and so the zone) of the pod's network
 * interface; in Skiff each vSwitch is one virtual node, so the choice is a scheduling one. Nodes without a vSwitch
 * label (ordinary nodes in a burst setup, seed 002) are not constrained: the annotation applies to ECI pods only.
 */
public final class EciVSwitch implements FilterPlugin {

    public static final String NAME = "EciVSwitch";
    static final String REASON = "node(s) didn't match Pod's vSwitches (" + EciPlacement.VSWITCH_ANNOTATION + ")";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NodeFilter prepare(PodCycle cycle) {
        EciPlacement eci = cycle.pod().eci();
        if (!eci.restrictsVSwitches()) {
            return NodeFilter.PASS_ALL;
        }
        Set<String> allowed = new HashSet<>(eci.vSwitches());
        return node -> {
            String vSwitch = node.labels().get(EciPlacement.VSWITCH_LABEL);
            return vSwitch == null || allowed.contains(vSwitch) ? FilterStatus.PASS : FilterStatus.unresolvable(REASON);
        };
    }
}
