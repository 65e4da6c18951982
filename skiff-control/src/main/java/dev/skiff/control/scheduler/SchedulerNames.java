package dev.skiff.control.scheduler;

import dev.skiff.control.scheduler.framework.PodInfo;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.Set;

/**
 * Which pods this scheduler is responsible for, by {@code spec.schedulerName} (pods for another scheduler are left
 * alone, as every upstream scheduler profile does), and which of those still wait for a node.
 *
 * @param names the scheduler names answered to; {@code default-scheduler} unless configured otherwise
 */
public record SchedulerNames(Set<String> names) {

    public SchedulerNames {
        names = Set.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a scheduler needs at least one name");
        }
    }

    /** Answers to {@code default-scheduler} and, when given, one more name (e.g. {@code skiff-scheduler}). */
    public static SchedulerNames of(String extraName) {
        return extraName == null || extraName.isBlank()
                ? new SchedulerNames(Set.of(PodInfo.DEFAULT_SCHEDULER))
                : new SchedulerNames(Set.of(PodInfo.DEFAULT_SCHEDULER, extraName));
    }

    /** Whether the pod names this scheduler; an empty {@code schedulerName} means {@code default-scheduler}. */
    public boolean isOurs(Pod pod) {
        String name = pod.getSpec() == null ? null : pod.getSpec().getSchedulerName();
        return names.contains(name == null || name.isEmpty() ? PodInfo.DEFAULT_SCHEDULER : name);
    }

    /**
     * Whether the pod is ours and waits for a node: no {@code spec.nodeName}, not being deleted, not finished, and
     * no {@code schedulingGates} left (upstream's SchedulingGates keeps gated pods out of the queue).
     */
    public boolean needsScheduling(Pod pod) {
        if (!isOurs(pod) || pod.getSpec() == null) {
            return false;
        }
        if (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
            return false;
        }
        if (pod.getMetadata() != null && pod.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return false;
        }
        return pod.getSpec().getSchedulingGates() == null || pod.getSpec().getSchedulingGates().isEmpty();
    }
}
