package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.FilterPlugin;
import dev.skiff.control.scheduler.framework.FilterStatus;
import dev.skiff.control.scheduler.framework.NodeFilter;
import dev.skiff.control.scheduler.framework.PodCycle;
import dev.skiff.control.scheduler.model.Tolerations;
import io.fabric8.kubernetes.api.model.Taint;

import java.util.List;

/**
 * Skips nodes that are not Ready.
 *
 * <p>Upstream has no such filter: the node lifecycle controller taints a node whose {@code Ready} condition is
 * {@code False} with {@code node.kubernetes.io/not-ready:NoSchedule} and one whose condition is {@code Unknown} with
 * {@code node.kubernetes.io/unreachable:NoSchedule} (TaintNodesByCondition), and TaintToleration does the rest.
 * This filter applies that implied taint itself, so the scheduler is right even before (or without) a controller
 * writing the taint, and reports it the way upstream would ({@code node(s) had untolerated taint
 * {node.kubernetes.io/not-ready: }}). Pods tolerating the taint (DaemonSet-like pods) still pass. A node without a
 * Ready condition counts as not ready, as a kubelet registers nodes.
 */
public final class NodeReady implements FilterPlugin {

    public static final String NAME = "NodeReady";
    public static final String NOT_READY_TAINT = "node.kubernetes.io/not-ready";
    public static final String UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NodeFilter prepare(PodCycle cycle) {
        List<io.fabric8.kubernetes.api.model.Toleration> tolerations = cycle.pod().tolerations();
        boolean toleratesNotReady = Tolerations.tolerated(tolerations, taint(NOT_READY_TAINT));
        boolean toleratesUnreachable = Tolerations.tolerated(tolerations, taint(UNREACHABLE_TAINT));
        return node -> {
            String ready = node.readyStatus();
            if ("True".equals(ready)) {
                return FilterStatus.PASS;
            }
            boolean unreachable = "Unknown".equals(ready);
            if (unreachable ? toleratesUnreachable : toleratesNotReady) {
                return FilterStatus.PASS;
            }
            return FilterStatus.unresolvable(TaintToleration.reason(unreachable ? UNREACHABLE_TAINT : NOT_READY_TAINT,
                    ""));
        };
    }

    private static Taint taint(String key) {
        return new Taint("NoSchedule", key, null, null);
    }
}
