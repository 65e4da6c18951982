package dev.skiff.control.controller.nodelifecycle;

import dev.skiff.control.controller.Times;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's {@code tryUpdateNodeHealth} for a node whose kubelet went silent: once its last sign of life (a Lease
 * renewal or a status heartbeat, as observed by the controller) is older than the grace period, the kubelet's
 * conditions Ready, MemoryPressure, DiskPressure and PIDPressure become Unknown with reason
 * {@code NodeStatusUnknown} ("Kubelet stopped posting node status."), or {@code NodeStatusNeverUpdated} for a
 * condition the kubelet never posted. Heartbeat times are kept; transition times move to now. Pure.
 */
public final class NodeHealth {

    static final List<String> KUBELET_CONDITIONS = List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");

    private NodeHealth() {
    }

    /** Whether the node is past its grace period. */
    public static boolean silent(Instant lastSignOfLife, Instant now, java.time.Duration grace) {
        return lastSignOfLife.plus(grace).isBefore(now);
    }

    /** The node's conditions with the kubelet's ones set Unknown, or {@code null} when they already are. */
    public static List<NodeCondition> markedUnknown(Node node, Instant now) {
        List<NodeCondition> current = node.getStatus() == null || node.getStatus().getConditions() == null
                ? List.of() : node.getStatus().getConditions();
        List<NodeCondition> result = new ArrayList<>();
        boolean changed = false;
        for (NodeCondition c : current) {
            if (KUBELET_CONDITIONS.contains(c.getType()) && !"Unknown".equals(c.getStatus())) {
                result.add(new NodeConditionBuilder(c).withStatus("Unknown").withReason("NodeStatusUnknown")
                        .withMessage("Kubelet stopped posting node status.")
                        .withLastTransitionTime(Times.format(now)).build());
                changed = true;
            } else {
                result.add(c);
            }
        }
        for (String type : KUBELET_CONDITIONS) {
            if (current.stream().noneMatch(c -> type.equals(c.getType()))) {
                result.add(new NodeConditionBuilder().withType(type).withStatus("Unknown")
                        .withReason("NodeStatusNeverUpdated").withMessage("Kubelet never posted node status.")
                        .withLastHeartbeatTime(node.getMetadata().getCreationTimestamp())
                        .withLastTransitionTime(Times.format(now)).build());
                changed = true;
            }
        }
        return changed ? result : null;
    }

    /** The status of the node's Ready condition, or {@code null} while the kubelet has posted none. */
    public static String ready(Node node) {
        return condition(node, "Ready");
    }

    static String condition(Node node, String type) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return null;
        }
        for (NodeCondition c : node.getStatus().getConditions()) {
            if (type.equals(c.getType())) {
                return c.getStatus();
            }
        }
        return null;
    }
}
