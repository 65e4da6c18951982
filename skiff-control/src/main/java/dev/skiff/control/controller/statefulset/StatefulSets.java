package dev.skiff.control.controller.statefulset;

import dev.skiff.control.controller.Pods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names, ordinals and pod predicates of StatefulSets, as upstream's {@code stateful_set_utils.go}.
 * Pure and thread-safe.
 */
public final class StatefulSets {

    public static final String KIND = "StatefulSet";
    public static final String API_VERSION = "apps/v1";
    /** The label naming a pod's own name, so a Service can select exactly one member. */
    public static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    /** The label carrying the pod's ordinal (upstream's PodIndexLabel feature, on by default since 1.28). */
    public static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
    /** The label naming the ControllerRevision a pod was created from (on revisions: the bare hash). */
    public static final String REVISION_LABEL = "controller-revision-hash";

    /** A pod name {@code <parent>-<ordinal>}: upstream's {@code statefulPodRegex}. */
    private static final Pattern POD_NAME = Pattern.compile("(.*)-([0-9]+)$");

    private StatefulSets() {
    }

    public static int replicas(StatefulSet set) {
        return set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
    }

    /** {@code spec.ordinals.start}, 0 when unset. */
    public static int startOrdinal(StatefulSet set) {
        return set.getSpec().getOrdinals() == null || set.getSpec().getOrdinals().getStart() == null
                ? 0 : set.getSpec().getOrdinals().getStart();
    }

    /** The last ordinal in range (inclusive): {@code start + replicas - 1}. */
    public static int endOrdinal(StatefulSet set) {
        return startOrdinal(set) + replicas(set) - 1;
    }

    public static int minReadySeconds(StatefulSet set) {
        return set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds();
    }

    /** {@code Parallel} pod management allows bursts; {@code OrderedReady} (the default) is monotonic. */
    public static boolean allowsBurst(StatefulSet set) {
        return "Parallel".equals(set.getSpec().getPodManagementPolicy());
    }

    public static boolean onDelete(StatefulSet set) {
        return set.getSpec().getUpdateStrategy() != null
                && "OnDelete".equals(set.getSpec().getUpdateStrategy().getType());
    }

    /** The rolling update partition (0 when unset). */
    public static int partition(StatefulSet set) {
        var strategy = set.getSpec().getUpdateStrategy();
        if (strategy == null || strategy.getRollingUpdate() == null
                || strategy.getRollingUpdate().getPartition() == null) {
            return 0;
        }
        return strategy.getRollingUpdate().getPartition();
    }

    public static String podName(StatefulSet set, int ordinal) {
        return set.getMetadata().getName() + "-" + ordinal;
    }

    /** {@code <template>-<set>-<ordinal>}: the claim a pod of this ordinal mounts for a volumeClaimTemplate. */
    public static String claimName(StatefulSet set, String templateName, int ordinal) {
        return templateName + "-" + set.getMetadata().getName() + "-" + ordinal;
    }

    /** The pod's ordinal, or -1 when its name has none. */
    public static int ordinal(Pod pod) {
        Matcher m = POD_NAME.matcher(pod.getMetadata().getName());
        if (!m.matches()) {
            return -1;
        }
        try {
            return Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The parent name in the pod's name, or {@code null}. */
    public static String parentName(Pod pod) {
        Matcher m = POD_NAME.matcher(pod.getMetadata().getName());
        return m.matches() ? m.group(1) : null;
    }

    /** Upstream's {@code isMemberOf}: the pod's name says it belongs to this set. */
    public static boolean isMemberOf(StatefulSet set, Pod pod) {
        return set.getMetadata().getName().equals(parentName(pod));
    }

    public static boolean inOrdinalRange(StatefulSet set, int ordinal) {
        return ordinal >= startOrdinal(set) && ordinal <= endOrdinal(set);
    }

    /** The revision the pod was created from (its {@code controller-revision-hash} label), or "". */
    public static String revisionOf(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        String revision = labels == null ? null : labels.get(REVISION_LABEL);
        return revision == null ? "" : revision;
    }

    // --- pod states, as upstream's isCreated/isFailed/isTerminating/isRunningAndReady/isHealthy ---

    static String phase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "" : pod.getStatus().getPhase();
    }

    public static boolean isFailed(Pod pod) {
        return "Failed".equals(phase(pod));
    }

    public static boolean isSucceeded(Pod pod) {
        return "Succeeded".equals(phase(pod));
    }

    public static boolean isPending(Pod pod) {
        return "Pending".equals(phase(pod));
    }

    public static boolean isTerminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    public static boolean isRunningAndReady(Pod pod) {
        return "Running".equals(phase(pod)) && Pods.isReady(pod);
    }

    /** Running, and ready for at least minReadySeconds. */
    public static boolean isRunningAndAvailable(Pod pod, int minReadySeconds, Instant now) {
        return "Running".equals(phase(pod)) && Pods.isAvailable(pod, minReadySeconds, now);
    }

    /** Running, ready and not being deleted. */
    public static boolean isHealthy(Pod pod) {
        return isRunningAndReady(pod) && !isTerminating(pod);
    }
}
