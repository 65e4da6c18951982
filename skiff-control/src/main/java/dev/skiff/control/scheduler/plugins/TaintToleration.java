package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.FilterPlugin;
import dev.skiff.control.scheduler.framework.FilterStatus;
import dev.skiff.control.scheduler.framework.NodeFilter;
import dev.skiff.control.scheduler.framework.PodCycle;
import dev.skiff.control.scheduler.model.Tolerations;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;
import java.util.Optional;

/**
 * Rejects nodes with a {@code NoSchedule} or {@code NoExecute} taint the pod does not tolerate, naming the first
 * such taint as upstream's TaintToleration filter does. (Virtual nodes are tainted
 * {@code virtual-kubelet.io/provider}; pods meant for them get the toleration at admission.)
 */
public final class TaintToleration implements FilterPlugin {

    public static final String NAME = "TaintToleration";

    /** Upstream's wording: {@code node(s) had untolerated taint {key: value}}. */
    static String reason(String key, String value) {
        return "node(s) had untolerated taint {" + key + ": " + (value == null ? "" : value) + "}";
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NodeFilter prepare(PodCycle cycle) {
        List<Toleration> tolerations = cycle.pod().tolerations();
        return node -> {
            if (node.taints().isEmpty()) {
                return FilterStatus.PASS;
            }
            Optional<Taint> taint = Tolerations.firstUntolerated(node.taints(), tolerations,
                    Tolerations::blocksScheduling);
            return taint.<FilterStatus>map(t -> FilterStatus.unresolvable(reason(t.getKey(), t.getValue())))
                    .orElse(FilterStatus.PASS);
        };
    }
}
