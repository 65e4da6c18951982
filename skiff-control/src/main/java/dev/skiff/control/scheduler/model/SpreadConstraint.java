package dev.skiff.control.scheduler.model;

import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A compiled {@code topologySpreadConstraint}.
 *
 * <p>As upstream's PodTopologySpread plugin: the selector counts pods of the incoming pod's namespace only;
 * {@code matchLabelKeys} adds {@code key in (value)} for each key the pod carries; {@code nodeAffinityPolicy}
 * defaults to {@code Honor} (only nodes matching the pod's nodeSelector/required node affinity form domains) and
 * {@code nodeTaintsPolicy} to {@code Ignore}; {@code minDomains} (DoNotSchedule only) treats the global minimum as 0
 * while fewer domains than that exist.
 *
 * @param clause           the pods counted (incoming pod's namespace, selector)
 * @param doNotSchedule    {@code whenUnsatisfiable: DoNotSchedule} (a filter) rather than {@code ScheduleAnyway}
 *                         (a score)
 * @param minDomains       0 when unset
 */
public record SpreadConstraint(int maxSkew, String topologyKey, boolean doNotSchedule, PodClause clause,
                               int minDomains, boolean honorNodeAffinity, boolean honorNodeTaints) {

    public static SpreadConstraint of(TopologySpreadConstraint c, String podNamespace, Map<String, String> podLabels) {
        Selector selector = Selector.of(c.getLabelSelector());
        if (c.getMatchLabelKeys() != null && !c.getMatchLabelKeys().isEmpty()) {
            List<Requirement> extra = new ArrayList<>();
            for (String key : c.getMatchLabelKeys()) {
                String value = podLabels.get(key);
                if (value != null) {
                    extra.add(new Requirement(key, Requirement.Operator.IN, List.of(value)));
                }
            }
            // As upstream's merge: a selector that selects nothing stays so.
            selector = selector.and(extra);
        }
        int maxSkew = c.getMaxSkew() == null ? 1 : c.getMaxSkew();
        boolean doNotSchedule = !"ScheduleAnyway".equals(c.getWhenUnsatisfiable());
        int minDomains = c.getMinDomains() == null ? 0 : c.getMinDomains();
        boolean honorAffinity = !"Ignore".equals(c.getNodeAffinityPolicy());
        boolean honorTaints = "Honor".equals(c.getNodeTaintsPolicy());
        return new SpreadConstraint(maxSkew, c.getTopologyKey() == null ? "" : c.getTopologyKey(), doNotSchedule,
                PodClause.inNamespace(podNamespace, selector), minDomains, honorAffinity, honorTaints);
    }

    public Selector selector() {
        return clause.labels();
    }
}
