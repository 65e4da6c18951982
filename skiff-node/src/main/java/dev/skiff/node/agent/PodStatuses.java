package dev.skiff.node.agent;

import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.ContainerStatus;
import dev.skiff.node.runtime.InstanceState;
import dev.skiff.node.runtime.InstanceStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;


/**
 * Maps an {@link InstanceStatus} onto a pod's status as the kubelet's {@code generateAPIPodStatus} and status
 * manager write it: phase, the five pod conditions, container statuses, addresses, start time and QoS class. Pure,
 * thread-safe.
 */
final class PodStatuses {

    private PodStatuses() {
    }

    /**
     * The status to write for {@code pod}, whose instance reports {@code instance}.
     *
     * @param pending a reason and message to report while the instance is (re)created, e.g. after a provider
     *                failure, or null
     */
    static PodStatus of(Pod pod, InstanceStatus instance, String hostIp, Instant now, String[] pending) {
        return of(pod, pod.getStatus(), instance, hostIp, now, pending);
    }

    /**
     * The status to write for {@code pod}, carrying condition transition times and the start time over from
     * {@code previous} (the status last written, or the pod's own; null for none).
     */
    static PodStatus of(Pod pod, PodStatus previous, InstanceStatus instance, String hostIp, Instant now,
                        String[] pending) {
        PodStatus old = previous == null ? new PodStatus() : previous;
        String phase = pending != null ? "Pending" : instance.state().phase();
        boolean terminal = pending == null && instance.terminal();
        boolean succeeded = "Succeeded".equals(phase);

        List<String> notInitialized = new ArrayList<>();
        for (ContainerStatus c : instance.initContainers()) {
            if (!(c.state() instanceof ContainerState.Terminated t && t.exitCode() == 0)) {
                notInitialized.add(c.name());
            }
        }
        List<String> notReady = new ArrayList<>();
        for (ContainerStatus c : instance.containers()) {
            if (!c.ready() || pending != null) {
                notReady.add(c.name());
            }
        }
        // The sandbox exists (and has its network) once any container was created; it is gone once the pod ended.
        boolean sandboxReady = pending == null && !terminal && (instance.state() instanceof InstanceState.Running
                || instance.initContainers().stream().anyMatch(c -> !c.containerId().isEmpty())
                || instance.containers().stream().anyMatch(c -> !c.containerId().isEmpty()));

        List<PodCondition> conditions = new ArrayList<>();
        conditions.add(condition(old, "PodReadyToStartContainers", sandboxReady, null, null, now));
        conditions.add(succeeded
                ? condition(old, "Initialized", true, "PodCompleted", null, now)
                : condition(old, "Initialized", notInitialized.isEmpty(), "ContainersNotInitialized",
                "containers with incomplete status: " + notInitialized, now));
        String notReadyReason = succeeded ? "PodCompleted" : "ContainersNotReady";
        String notReadyMessage = succeeded ? null : "containers with unready status: " + notReady;
        conditions.add(condition(old, "Ready", notReady.isEmpty(), notReadyReason, notReadyMessage, now));
        conditions.add(condition(old, "ContainersReady", notReady.isEmpty(), notReadyReason, notReadyMessage, now));
        // The kubelet always reports its pods as scheduled: they are on its node, whoever put them there.
        conditions.add(condition(old, "PodScheduled", true, null, null, now));

        String podIp = instance.podIp() == null ? null : instance.podIp().getHostAddress();
        Instant start = old.getStartTime() != null ? Instant.parse(old.getStartTime()) : instance.createdAt();
        PodStatusBuilder b = new PodStatusBuilder()
                .withPhase(phase)
                .withConditions(conditions)
                .withHostIP(hostIp)
                .withHostIPs(new HostIP(hostIp))
                .withStartTime(NodeObjects.time(start))
                .withQosClass(qosClass(pod))
                .withInitContainerStatuses(containerStatuses(instance.initContainers(), pending))
                .withContainerStatuses(containerStatuses(instance.containers(), pending));
        if (podIp != null) {
            b.withPodIP(podIp).withPodIPs(new PodIP(podIp));
        }
        if (pending != null) {
            b.withReason(pending[0]).withMessage(pending[1]);
        }
        return b.build();
    }

    /**
     * The status of a pod the eviction manager evicted, as the kubelet's {@code evictPod} status function writes
     * it over the generated one: phase Failed, reason {@code Evicted}, the eviction message; for an instance that
     * ran out (the kubelet's node-pressure case) also a {@code DisruptionTarget} condition with reason
     * {@code TerminationByKubelet}, which Job pod failure policies match.
     */
    static PodStatus evicted(PodStatus status, String message, boolean disruption, Instant now) {
        PodStatusBuilder b = new PodStatusBuilder(status).withPhase("Failed").withReason("Evicted")
                .withMessage(message);
        if (disruption) {
            List<PodCondition> conditions = new ArrayList<>(status.getConditions() == null ? List.of()
                    : status.getConditions());
            conditions.removeIf(c -> "DisruptionTarget".equals(c.getType()));
            conditions.add(new PodConditionBuilder().withType("DisruptionTarget").withStatus("True")
                    .withReason("TerminationByKubelet").withMessage(message)
                    .withLastTransitionTime(NodeObjects.time(now)).build());
            b.withConditions(conditions);
        }
        return b.build();
    }

    /** Keeps a condition's lastTransitionTime while its status does not change, as the status manager does. */
    private static PodCondition condition(PodStatus old, String type, boolean ok, String reason, String message,
                                          Instant now) {
        String status = ok ? "True" : "False";
        String since = NodeObjects.time(now);
        if (old.getConditions() != null) {
            for (PodCondition c : old.getConditions()) {
                if (type.equals(c.getType()) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null) {
                    since = c.getLastTransitionTime();
                }
            }
        }
        return new PodConditionBuilder().withType(type).withStatus(status)
                .withReason(ok ? null : reason).withMessage(ok ? null : message)
                .withLastProbeTime(null).withLastTransitionTime(since).build();
    }

    private static List<io.fabric8.kubernetes.api.model.ContainerStatus> containerStatuses(
            List<ContainerStatus> statuses, String[] pending) {
        List<io.fabric8.kubernetes.api.model.ContainerStatus> out = new ArrayList<>();
        for (ContainerStatus c : statuses) {
            ContainerState state = pending == null ? c.state()
                    : new ContainerState.Waiting("ContainerCreating", "");
            out.add(new ContainerStatusBuilder()
                    .withName(c.name())
                    .withImage(c.image())
                    .withImageID(c.imageId())
                    .withContainerID(c.containerId().isEmpty() ? null : c.containerId())
                    .withState(state(state))
                    .withLastState(c.lastState() == null ? new ContainerStateBuilder().build() : state(c.lastState()))
                    .withReady(pending == null && c.ready())
                    .withRestartCount(c.restartCount())
                    .withStarted(pending == null && c.started())
                    .build());
        }
        return out;
    }

    private static io.fabric8.kubernetes.api.model.ContainerState state(ContainerState state) {
        ContainerStateBuilder b = new ContainerStateBuilder();
        switch (state) {
            case ContainerState.Waiting w -> b.withNewWaiting()
                    .withReason(w.reason()).withMessage(w.message().isEmpty() ? null : w.message()).endWaiting();
            case ContainerState.Running r -> b.withNewRunning()
                    .withStartedAt(NodeObjects.time(r.startedAt())).endRunning();
            case ContainerState.Terminated t -> b.withNewTerminated()
                    .withExitCode(t.exitCode()).withReason(t.reason())
                    .withMessage(t.message().isEmpty() ? null : t.message())
                    .withStartedAt(t.startedAt() == null ? null : NodeObjects.time(t.startedAt()))
                    .withFinishedAt(NodeObjects.time(t.finishedAt())).endTerminated();
        }
        return b.build();
    }

    /** The QoS class by upstream's rule (pkg/apis/core/helper/qos), over cpu and memory of every container. */
    static String qosClass(Pod pod) {
        List<Container> all = new ArrayList<>();
        if (pod.getSpec().getInitContainers() != null) {
            all.addAll(pod.getSpec().getInitContainers());
        }
        all.addAll(pod.getSpec().getContainers());
        boolean any = false;
        boolean guaranteed = true;
        for (Container c : all) {
            Map<String, Quantity> requests = c.getResources() == null ? null : c.getResources().getRequests();
            Map<String, Quantity> limits = c.getResources() == null ? null : c.getResources().getLimits();
            for (String r : List.of("cpu", "memory")) {
                Quantity limit = limits == null ? null : limits.get(r);
                Quantity request = requests == null ? null : requests.get(r);
                if (limit != null || request != null) {
                    any = true;
                }
                // A missing request defaults to the limit; Guaranteed needs both resources limited, equal to requests.
                Quantity effective = request != null ? request : limit;
                if (limit == null || effective == null || Quantity.getAmountInBytes(limit)
                        .compareTo(Quantity.getAmountInBytes(effective)) != 0) {
                    guaranteed = false;
                }
            }
        }
        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }

}
