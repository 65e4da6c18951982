package dev.skiff.control.controller.batch;

import dev.skiff.control.controller.Times;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How the Job controller makes and reads its pods: upstream's labels, annotations and owner reference. */
public final class JobPods {

    public static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    public static final String JOB_NAME = "batch.kubernetes.io/job-name";
    /** The pre-1.27 label names, still written by upstream for compatibility. */
    public static final String LEGACY_CONTROLLER_UID = "controller-uid";
    public static final String LEGACY_JOB_NAME = "job-name";
    public static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
    static final String INDEX_ENV = "JOB_COMPLETION_INDEX";

    private JobPods() {
    }

    /** The controller reference a Job's pods carry (upstream's {@code metav1.NewControllerRef}). */
    static OwnerReference ownerRef(Job job) {
        return new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                .withName(job.getMetadata().getName()).withUid(job.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    /** Whether the Job's pods get the generated selector labels (everything but {@code manualSelector: true}). */
    static boolean generatedSelector(Job job) {
        return !Boolean.TRUE.equals(job.getSpec().getManualSelector());
    }

    /**
     * A pod from the Job's template, as upstream's {@code GetPodFromTemplate} plus what the Job API server strategy
     * puts into the template (the selector labels, unless the selector is manual): {@code generateName <job>-}, or
     * {@code <job>-<index>-} for an Indexed Job, whose pods also carry their completion index (annotation and label),
     * the {@code JOB_COMPLETION_INDEX} variable read from that annotation, and a hostname {@code <job>-<index>}.
     *
     * @param index the completion index, or {@code null} for a NonIndexed Job
     */
    static Pod fromTemplate(Job job, Integer index) {
        PodTemplateSpec template = job.getSpec().getTemplate();
        String name = job.getMetadata().getName();
        Map<String, String> labels = new HashMap<>(template.getMetadata() == null
                || template.getMetadata().getLabels() == null ? Map.of() : template.getMetadata().getLabels());
        Map<String, String> annotations = new HashMap<>(template.getMetadata() == null
                || template.getMetadata().getAnnotations() == null ? Map.of()
                : template.getMetadata().getAnnotations());
        List<String> finalizers = template.getMetadata() == null || template.getMetadata().getFinalizers() == null
                ? List.of() : template.getMetadata().getFinalizers();
        if (generatedSelector(job)) {
            String uid = job.getMetadata().getUid();
            labels.putIfAbsent(CONTROLLER_UID, uid);
            labels.putIfAbsent(JOB_NAME, name);
            labels.putIfAbsent(LEGACY_CONTROLLER_UID, uid);
            labels.putIfAbsent(LEGACY_JOB_NAME, name);
        }
        PodSpec spec = template.getSpec() == null ? new PodSpec() : template.getSpec();
        String generateName = name + "-";
        if (index != null) {
            annotations.put(COMPLETION_INDEX, Integer.toString(index));
            labels.put(COMPLETION_INDEX, Integer.toString(index));
            generateName = name + "-" + index + "-";
            spec = indexedSpec(spec, name + "-" + index);
        }
        return new PodBuilder()
                .withNewMetadata()
                .withGenerateName(generateName)
                .withNamespace(job.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .withFinalizers(new ArrayList<>(finalizers))
                .withOwnerReferences(ownerRef(job))
                .endMetadata()
                .withSpec(spec)
                .build();
    }

    private static PodSpec indexedSpec(PodSpec spec, String hostname) {
        PodSpecBuilder builder = new PodSpecBuilder(spec);
        if (spec.getHostname() == null || spec.getHostname().isEmpty()) {
            builder.withHostname(hostname);
        }
        List<Container> containers = new ArrayList<>();
        for (Container container : spec.getContainers() == null ? List.<Container>of() : spec.getContainers()) {
            containers.add(withIndexEnv(container));
        }
        List<Container> initContainers = new ArrayList<>();
        for (Container container : spec.getInitContainers() == null ? List.<Container>of()
                : spec.getInitContainers()) {
            initContainers.add(withIndexEnv(container));
        }
        return builder.withContainers(containers).withInitContainers(initContainers).build();
    }

    private static Container withIndexEnv(Container container) {
        List<EnvVar> env = container.getEnv() == null ? new ArrayList<>() : new ArrayList<>(container.getEnv());
        if (env.stream().anyMatch(e -> INDEX_ENV.equals(e.getName()))) {
            return container;
        }
        env.add(new EnvVarBuilder().withName(INDEX_ENV).withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.annotations['" + COMPLETION_INDEX + "']").endFieldRef().endValueFrom()
                .build());
        return new ContainerBuilder(container).withEnv(env).build();
    }

    static String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    static boolean succeeded(Pod pod) {
        return "Succeeded".equals(phase(pod));
    }

    static boolean failed(Pod pod) {
        return "Failed".equals(phase(pod));
    }

    /** The pod's completion index, or {@code null} if it has none or it is malformed. */
    static Integer index(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(COMPLETION_INDEX);
        if (value == null) {
            return null;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * When a terminated pod finished: its containers' latest {@code finishedAt}, else its Ready condition's last
     * transition, else its creation (upstream's {@code getFinishedTime} falls back the same way).
     */
    static Instant finishedAt(Pod pod) {
        Instant latest = null;
        if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
            for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
                if (status.getState() != null && status.getState().getTerminated() != null) {
                    Instant at = Times.parse(status.getState().getTerminated().getFinishedAt());
                    if (at != null && (latest == null || at.isAfter(latest))) {
                        latest = at;
                    }
                }
            }
        }
        if (latest != null) {
            return latest;
        }
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            for (PodCondition condition : pod.getStatus().getConditions()) {
                if ("Ready".equals(condition.getType()) && condition.getLastTransitionTime() != null) {
                    return Times.parse(condition.getLastTransitionTime());
                }
            }
        }
        return Times.parse(pod.getMetadata().getCreationTimestamp());
    }

    /** Container restarts of a pod (init and regular), which count as failures under {@code OnFailure}. */
    static int restarts(Pod pod) {
        int total = 0;
        if (pod.getStatus() == null) {
            return 0;
        }
        for (List<ContainerStatus> statuses : List.of(
                pod.getStatus().getInitContainerStatuses() == null ? List.<ContainerStatus>of()
                        : pod.getStatus().getInitContainerStatuses(),
                pod.getStatus().getContainerStatuses() == null ? List.<ContainerStatus>of()
                        : pod.getStatus().getContainerStatuses())) {
            for (ContainerStatus status : statuses) {
                total += status.getRestartCount() == null ? 0 : status.getRestartCount();
            }
        }
        return total;
    }
}
