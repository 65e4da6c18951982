package dev.skiff.control.scheduler.framework;

import dev.skiff.control.scheduler.model.AffinityTerm;
import dev.skiff.control.scheduler.model.EciPlacement;
import dev.skiff.control.scheduler.model.NodeRequirement;
import dev.skiff.control.scheduler.model.NodeTerm;
import dev.skiff.control.scheduler.model.PodRequests;
import dev.skiff.control.scheduler.model.Resources;
import dev.skiff.control.scheduler.model.SpreadConstraint;
import dev.skiff.control.scheduler.model.WeightedAffinityTerm;
import dev.skiff.control.scheduler.model.WeightedNodeTerm;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the scheduler needs from one pod, compiled once (upstream's {@code framework.PodInfo} plus the cached
 * resource requests): plugins never re-read the fabric8 object in their per-node loops.
 *
 * <p>The fabric8 {@link Pod} is kept for callers (binding, events) and must not be mutated. Immutable otherwise.
 *
 * @param key      {@code namespace/name}, the snapshot's identity for the pod
 * @param nodeName the node the pod is bound or assumed to; empty while pending
 */
public record PodInfo(Pod pod, String key, String namespace, String name, Map<String, String> labels,
                      String nodeName, String schedulerName, boolean terminating,
                      Resources requests, long nonZeroMilliCpu, long nonZeroMemory,
                      List<Toleration> tolerations, NodeRequirement nodeRequirement,
                      List<WeightedNodeTerm> preferredNodeTerms,
                      List<AffinityTerm> requiredAffinity, List<AffinityTerm> requiredAntiAffinity,
                      List<WeightedAffinityTerm> preferredAffinity, List<WeightedAffinityTerm> preferredAntiAffinity,
                      List<SpreadConstraint> spreadConstraints, EciPlacement eci) {

    /** The scheduler name a pod without {@code spec.schedulerName} gets from API defaulting. */
    public static final String DEFAULT_SCHEDULER = "default-scheduler";

    public PodInfo {
        Objects.requireNonNull(key, "key");
        nodeName = nodeName == null ? "" : nodeName;
    }

    /** Compiles a pod. */
    public static PodInfo of(Pod pod) {
        ObjectMeta meta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
        String namespace = meta.getNamespace() == null ? "default" : meta.getNamespace();
        String name = meta.getName() == null ? "" : meta.getName();
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : Map.copyOf(meta.getLabels());
        PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
        String schedulerName = spec.getSchedulerName() == null || spec.getSchedulerName().isEmpty()
                ? DEFAULT_SCHEDULER : spec.getSchedulerName();
        long[] nonZero = PodRequests.nonZero(spec);
        Affinity affinity = spec.getAffinity();

        List<WeightedNodeTerm> preferredNode = List.of();
        List<AffinityTerm> requiredAffinity = List.of();
        List<AffinityTerm> requiredAnti = List.of();
        List<WeightedAffinityTerm> preferredAffinity = List.of();
        List<WeightedAffinityTerm> preferredAnti = List.of();
        if (affinity != null) {
            if (affinity.getNodeAffinity() != null) {
                preferredNode = nullSafe(affinity.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
                        .stream()
                        // Upstream skips zero-weight preferences.
                        .filter(t -> t.getWeight() != null && t.getWeight() != 0)
                        .map(t -> new WeightedNodeTerm(t.getWeight(), NodeTerm.of(preference(t))))
                        .toList();
            }
            if (affinity.getPodAffinity() != null) {
                requiredAffinity = terms(affinity.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(),
                        namespace, labels);
                preferredAffinity = weighted(
                        affinity.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(), namespace, labels);
            }
            if (affinity.getPodAntiAffinity() != null) {
                requiredAnti = terms(affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(),
                        namespace, labels);
                preferredAnti = weighted(
                        affinity.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(), namespace,
                        labels);
            }
        }
        List<SpreadConstraint> spread = nullSafe(spec.getTopologySpreadConstraints()).stream()
                .map((TopologySpreadConstraint c) -> SpreadConstraint.of(c, namespace, labels))
                .toList();
        return new PodInfo(pod, namespace + "/" + name, namespace, name, labels, spec.getNodeName(), schedulerName,
                meta.getDeletionTimestamp() != null, PodRequests.of(spec), nonZero[0], nonZero[1],
                List.copyOf(nullSafe(spec.getTolerations())), NodeRequirement.of(spec), preferredNode,
                requiredAffinity, requiredAnti, preferredAffinity, preferredAnti, spread,
                EciPlacement.of(meta.getAnnotations()));
    }

    /** This pod placed on a node (an assumed pod, before the binding is observed). */
    public PodInfo withNodeName(String node) {
        return new PodInfo(pod, key, namespace, name, labels, node, schedulerName, terminating, requests,
                nonZeroMilliCpu, nonZeroMemory, tolerations, nodeRequirement, preferredNodeTerms, requiredAffinity,
                requiredAntiAffinity, preferredAffinity, preferredAntiAffinity, spreadConstraints, eci);
    }

    public boolean isAssigned() {
        return !nodeName.isEmpty();
    }

    /** Whether the pod carries any pod affinity or anti-affinity term (required or preferred). */
    public boolean hasPodAffinityTerms() {
        return !requiredAffinity.isEmpty() || !requiredAntiAffinity.isEmpty() || !preferredAffinity.isEmpty()
                || !preferredAntiAffinity.isEmpty();
    }

    private static io.fabric8.kubernetes.api.model.NodeSelectorTerm preference(PreferredSchedulingTerm t) {
        return t.getPreference();
    }

    private static List<AffinityTerm> terms(List<PodAffinityTerm> raw, String ns, Map<String, String> labels) {
        return nullSafe(raw).stream().map(t -> AffinityTerm.of(t, ns, labels)).toList();
    }

    private static List<WeightedAffinityTerm> weighted(List<WeightedPodAffinityTerm> raw, String ns,
                                                       Map<String, String> labels) {
        return nullSafe(raw).stream()
                .filter(t -> t.getWeight() != null && t.getWeight() != 0 && t.getPodAffinityTerm() != null)
                .map(t -> new WeightedAffinityTerm(t.getWeight(), AffinityTerm.of(t.getPodAffinityTerm(), ns, labels)))
                .toList();
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
