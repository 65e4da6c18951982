package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.PodCycle;
import dev.skiff.control.scheduler.framework.PodInfo;
import dev.skiff.control.scheduler.model.PodClause;
import dev.skiff.control.scheduler.model.SpreadConstraint;

import java.util.List;

/**
 * Upstream's system default topology spread constraints ({@code defaultingType: System}, the kube-scheduler
 * default since SelectorSpread was removed): a pod that declares no {@code topologySpreadConstraints} is spread as
 * if it had {@code maxSkew: 3} over {@code kubernetes.io/hostname} and {@code maxSkew: 5} over
 * {@code topology.kubernetes.io/zone}, both {@code ScheduleAnyway}, counting the pods matched by the selector of the
 * Services and controller that select it. Without such a selector (a bare pod) nothing is defaulted.
 */
final class SystemDefaultSpread {

    static final String ZONE = "topology.kubernetes.io/zone";

    private SystemDefaultSpread() {
    }

    /** The default constraints for the cycle's pod; empty when the pod has its own or nothing selects it. */
    static List<SpreadConstraint> constraints(PodCycle cycle) {
        PodInfo pod = cycle.pod();
        if (!pod.spreadConstraints().isEmpty()) {
            return List.of();
        }
        return cycle.snapshot().defaultSpreadSelector(pod)
                .map(selector -> {
                    PodClause clause = PodClause.inNamespace(pod.namespace(), selector);
                    // Defaults carry no matchLabelKeys or minDomains; inclusion policies keep their defaults
                    // (nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore).
                    return List.of(
                            new SpreadConstraint(3, PodTopologySpreadScore.HOSTNAME, false, clause, 0, true, false),
                            new SpreadConstraint(5, ZONE, false, clause, 0, true, false));
                })
                .orElse(List.of());
    }
}
