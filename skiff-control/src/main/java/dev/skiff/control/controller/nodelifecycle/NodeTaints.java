package dev.skiff.control.controller.nodelifecycle;

import dev.skiff.control.controller.Times;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The taints the node lifecycle controller owns, derived from the node's conditions as upstream does:
 * <ul>
 *   <li>taint-based eviction ({@code processTaintBaseEviction}): Ready False → {@code node.kubernetes.io/not-ready}
 *       NoExecute, Ready Unknown → {@code node.kubernetes.io/unreachable} NoExecute, stamped with
 *       {@code timeAdded} (tolerationSeconds count from it);</li>
 *   <li>taint-nodes-by-condition ({@code doNoScheduleTaintingPass}): the same keys as NoSchedule, plus
 *       memory/disk/pid pressure and network-unavailable when those conditions are True, and
 *       {@code node.kubernetes.io/unschedulable} for a cordoned node.</li>
 * </ul>
 * Other taints (the virtual node's provider taint, users' taints) are never touched. Pure.
 */
public final class NodeTaints {

    public static final String NOT_READY = "node.kubernetes.io/not-ready";
    public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
    static final Set<String> OWNED = Set.of(NOT_READY, UNREACHABLE, UNSCHEDULABLE,
            "node.kubernetes.io/memory-pressure", "node.kubernetes.io/disk-pressure",
            "node.kubernetes.io/pid-pressure", "node.kubernetes.io/network-unavailable");

    private NodeTaints() {
    }

    /** The owned taints the node should carry, as {@code key:effect}. */
    static Set<String> desired(Node node) {
        Set<String> wanted = new LinkedHashSet<>();
        String ready = NodeHealth.ready(node);
        if ("False".equals(ready)) {
            wanted.add(NOT_READY + ":NoSchedule");
            wanted.add(NOT_READY + ":NoExecute");
        } else if ("Unknown".equals(ready)) {
            wanted.add(UNREACHABLE + ":NoSchedule");
            wanted.add(UNREACHABLE + ":NoExecute");
        }
        addIfTrue(wanted, node, "MemoryPressure", "node.kubernetes.io/memory-pressure");
        addIfTrue(wanted, node, "DiskPressure", "node.kubernetes.io/disk-pressure");
        addIfTrue(wanted, node, "PIDPressure", "node.kubernetes.io/pid-pressure");
        addIfTrue(wanted, node, "NetworkUnavailable", "node.kubernetes.io/network-unavailable");
        if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            wanted.add(UNSCHEDULABLE + ":NoSchedule");
        }
        return wanted;
    }

    private static void addIfTrue(Set<String> wanted, Node node, String condition, String key) {
        if ("True".equals(NodeHealth.condition(node, condition))) {
            wanted.add(key + ":NoSchedule");
        }
    }

    /**
     * The node's taints with the owned ones brought in line with its conditions, or {@code null} when they already
     * are. Taints that stay keep their {@code timeAdded}; new NoExecute taints are stamped with {@code now}.
     */
    public static List<Taint> reconciled(Node node, Instant now) {
        List<Taint> current = node.getSpec() == null || node.getSpec().getTaints() == null
                ? List.of() : node.getSpec().getTaints();
        Set<String> wanted = desired(node);
        List<Taint> result = new ArrayList<>();
        Set<String> present = new LinkedHashSet<>();
        boolean changed = false;
        for (Taint taint : current) {
            String id = taint.getKey() + ":" + taint.getEffect();
            if (OWNED.contains(taint.getKey()) && !wanted.contains(id)) {
                changed = true; // the condition behind it is gone
                continue;
            }
            result.add(taint);
            present.add(id);
        }
        for (String id : wanted) {
            if (present.contains(id)) {
                continue;
            }
            String key = id.substring(0, id.indexOf(':'));
            String effect = id.substring(id.indexOf(':') + 1);
            result.add(new TaintBuilder().withKey(key).withEffect(effect)
                    .withTimeAdded(Objects.equals(effect, "NoExecute") ? Times.format(now) : null).build());
            changed = true;
        }
        return changed ? result : null;
    }

    /** The node's NoExecute taints. */
    public static List<Taint> noExecute(Node node) {
        if (node.getSpec() == null || node.getSpec().getTaints() == null) {
            return List.of();
        }
        return node.getSpec().getTaints().stream().filter(t -> "NoExecute".equals(t.getEffect())).toList();
    }
}
