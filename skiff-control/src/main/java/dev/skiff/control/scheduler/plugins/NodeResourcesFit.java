package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.FilterPlugin;
import dev.skiff.control.scheduler.framework.FilterStatus;
import dev.skiff.control.scheduler.framework.NodeFilter;
import dev.skiff.control.scheduler.framework.NodeInfo;
import dev.skiff.control.scheduler.framework.PodCycle;
import dev.skiff.control.scheduler.model.Resources;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks that the node has room for the pod's effective requests, as upstream's NodeResourcesFit filter
 * ({@code fitsRequest}): the pod count against the {@code pods} allocatable ({@code Too many pods}), then CPU,
 * memory, ephemeral storage and each scalar resource the pod requests against allocatable minus what the node's
 * pods (bound and assumed) request ({@code Insufficient cpu}, ...). All shortfalls of a node are reported.
 */
public final class NodeResourcesFit implements FilterPlugin {

    public static final String NAME = "NodeResourcesFit";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NodeFilter prepare(PodCycle cycle) {
        Resources request = cycle.pod().requests();
        boolean requestsNothing = request.isZero();
        return node -> {
            List<String> reasons = null;
            if (node.podCount() + 1L > node.allowedPods()) {
                reasons = add(reasons, "Too many pods");
            }
            if (!requestsNothing) {
                reasons = checkResources(request, node, reasons);
            }
            return reasons == null ? FilterStatus.PASS : new FilterStatus.Rejected(reasons, false);
        };
    }

    private static List<String> checkResources(Resources request, NodeInfo node, List<String> reasons) {
        Resources alloc = node.allocatable();
        if (request.milliCpu() > 0 && request.milliCpu() > alloc.milliCpu() - node.requestedMilliCpu()) {
            reasons = add(reasons, "Insufficient " + Resources.CPU);
        }
        if (request.memory() > 0 && request.memory() > alloc.memory() - node.requestedMemory()) {
            reasons = add(reasons, "Insufficient " + Resources.MEMORY);
        }
        if (request.ephemeralStorage() > 0
                && request.ephemeralStorage() > alloc.ephemeralStorage() - node.requestedEphemeralStorage()) {
            reasons = add(reasons, "Insufficient " + Resources.EPHEMERAL_STORAGE);
        }
        for (Map.Entry<String, Long> e : request.scalar().entrySet()) {
            long wanted = e.getValue();
            if (wanted > 0 && wanted > alloc.scalar(e.getKey()) - node.requestedScalar(e.getKey())) {
                reasons = add(reasons, "Insufficient " + e.getKey());
            }
        }
        return reasons;
    }

    private static List<String> add(List<String> reasons, String reason) {
        List<String> out = reasons == null ? new ArrayList<>(2) : reasons;
        out.add(reason);
        return out;
    }
}
