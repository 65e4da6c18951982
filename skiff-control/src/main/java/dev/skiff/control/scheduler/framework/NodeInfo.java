package dev.skiff.control.scheduler.framework;

import dev.skiff.control.scheduler.model.Quantities;
import dev.skiff.control.scheduler.model.Resources;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of a {@link ClusterSnapshot} and what is placed on it (upstream's {@code framework.NodeInfo}): its labels,
 * taints, conditions and allocatable, and the sums of the requests of its pods, bound and assumed.
 *
 * <p>Plugins see it read-only; only the owning snapshot changes it, and only between scheduling cycles. Not
 * thread-safe: confined to the scheduling thread like its snapshot.
 */
public final class NodeInfo {

    private int ordinal;
    private Node node;
    private final String name;
    private Map<String, String> labels;
    private List<Taint> taints;
    private boolean unschedulable;
    private String readyStatus;
    private Resources allocatable;
    private long allowedPods;

    private long requestedMilliCpu;
    private long requestedMemory;
    private long requestedEphemeralStorage;
    private final Map<String, Long> requestedScalar = new HashMap<>();
    private long nonZeroMilliCpu;
    private long nonZeroMemory;
    private final Map<String, PodInfo> pods = new LinkedHashMap<>();

    NodeInfo(Node node) {
        this.name = node.getMetadata().getName();
        update(node);
    }

    /** Replaces the node object (labels, taints, conditions, allocatable); the pods stay. */
    void update(Node node) {
        this.node = node;
        this.labels = node.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(node.getMetadata().getLabels());
        var spec = node.getSpec();
        this.taints = spec == null || spec.getTaints() == null ? List.of() : List.copyOf(spec.getTaints());
        this.unschedulable = spec != null && Boolean.TRUE.equals(spec.getUnschedulable());
        var status = node.getStatus();
        Map<String, Quantity> alloc = status == null ? null : status.getAllocatable();
        this.allocatable = Resources.of(alloc);
        this.allowedPods = alloc == null || alloc.get(Resources.PODS) == null ? 0 : Quantities.value(alloc.get(Resources.PODS));
        this.readyStatus = null;
        if (status != null && status.getConditions() != null) {
            for (NodeCondition condition : status.getConditions()) {
                if ("Ready".equals(condition.getType())) {
                    readyStatus = condition.getStatus();
                }
            }
        }
    }

    void add(PodInfo pod) {
        if (pods.put(pod.key(), pod) != null) {
            throw new IllegalStateException("pod " + pod.key() + " already on node " + name);
        }
        account(pod, 1);
    }

    void remove(PodInfo pod) {
        if (pods.remove(pod.key()) != null) {
            account(pod, -1);
        }
    }

    void clearPods() {
        pods.clear();
        requestedMilliCpu = requestedMemory = requestedEphemeralStorage = nonZeroMilliCpu = nonZeroMemory = 0;
        requestedScalar.clear();
    }

    private void account(PodInfo pod, int sign) {
        Resources r = pod.requests();
        requestedMilliCpu += sign * r.milliCpu();
        requestedMemory += sign * r.memory();
        requestedEphemeralStorage += sign * r.ephemeralStorage();
        r.scalar().forEach((k, v) -> requestedScalar.merge(k, sign * v, Long::sum));
        nonZeroMilliCpu += sign * pod.nonZeroMilliCpu();
        nonZeroMemory += sign * pod.nonZeroMemory();
    }

    void ordinal(int ordinal) {
        this.ordinal = ordinal;
    }

    /** The node's position in {@link SnapshotView#nodes()}: indexes the per-node count arrays. */
    public int ordinal() {
        return ordinal;
    }

    public String name() {
        return name;
    }

    /** The fabric8 node; must not be mutated. */
    public Node node() {
        return node;
    }

    public Map<String, String> labels() {
        return labels;
    }

    public List<Taint> taints() {
        return taints;
    }

    /** {@code spec.unschedulable} (cordoned). */
    public boolean unschedulable() {
        return unschedulable;
    }

    /** The status of the node's {@code Ready} condition ({@code True}, {@code False}, {@code Unknown}), or null. */
    public String readyStatus() {
        return readyStatus;
    }

    public Resources allocatable() {
        return allocatable;
    }

    /** The {@code pods} allocatable: how many pods the node accepts. */
    public long allowedPods() {
        return allowedPods;
    }

    public long requestedMilliCpu() {
        return requestedMilliCpu;
    }

    public long requestedMemory() {
        return requestedMemory;
    }

    public long requestedEphemeralStorage() {
        return requestedEphemeralStorage;
    }

    public long requestedScalar(String resource) {
        return requestedScalar.getOrDefault(resource, 0L);
    }

    /** CPU requested, counting 100m for containers without a request (scoring only). */
    public long nonZeroRequestedMilliCpu() {
        return nonZeroMilliCpu;
    }

    /** Memory requested, counting 200 MiB for containers without a request (scoring only). */
    public long nonZeroRequestedMemory() {
        return nonZeroMemory;
    }

    public int podCount() {
        return pods.size();
    }

    /** The pods on this node, bound and assumed, in arrival order (read-only view). */
    public Collection<PodInfo> pods() {
        return Collections.unmodifiableCollection(pods.values());
    }

    @Override
    public String toString() {
        return "NodeInfo[" + name + ", pods=" + pods.size() + "]";
    }
}
