package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.NodeInfo;
import dev.skiff.control.scheduler.framework.PodInfo;

/**
 * The CPU and memory figures the resource scores use (upstream's default scoring resources: cpu and memory,
 * weight 1 each).
 */
final class ResourceVector {

    private ResourceVector() {
    }

    /**
     * {@code [allocatable cpu, requested cpu, allocatable memory, requested memory]} with the pod added.
     *
     * @param nonZero use the requests with missing container requests defaulted (LeastAllocated) rather than the
     *                actual ones (BalancedAllocation), as upstream's {@code useRequested}
     */
    static long[] withPod(NodeInfo node, PodInfo pod, boolean nonZero) {
        long cpu = nonZero ? node.nonZeroRequestedMilliCpu() + pod.nonZeroMilliCpu()
                : node.requestedMilliCpu() + pod.requests().milliCpu();
        long memory = nonZero ? node.nonZeroRequestedMemory() + pod.nonZeroMemory()
                : node.requestedMemory() + pod.requests().memory();
        return new long[]{node.allocatable().milliCpu(), cpu, node.allocatable().memory(), memory};
    }
}
