package dev.skiff.control.controller.batch;

import dev.skiff.control.controller.Times;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;

import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Snapshots for the Job and CronJob table tests: Jobs and their pods in any state. */
final class BatchFixtures {

    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    private BatchFixtures() {
    }

    /** A Job with one container, restartPolicy Never, uid "job-uid", adjusted by {@code spec}. */
    static Job job(UnaryOperator<JobSpecBuilder> spec) {
        JobSpecBuilder builder = new JobSpecBuilder().withBackoffLimit(6).withCompletionMode("NonIndexed")
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "batch")).endMetadata()
                .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("main").withImage("busybox")
                .endContainer().endSpec().endTemplate();
        return new JobBuilder().withNewMetadata().withName("pi").withNamespace("ns").withUid("job-uid").endMetadata()
                .withSpec(spec.apply(builder).build()).build();
    }

    /** The Job with a status condition set True, as an earlier sync left it. */
    static Job withCondition(Job job, String type, String reason) {
        return new JobBuilder(job).editOrNewStatus().addToConditions(new JobConditionBuilder().withType(type)
                .withStatus("True").withReason(reason).withMessage("m").withLastTransitionTime(Times.format(T0))
                .build()).endStatus().build();
    }

    /** A pod in {@code phase} (Pending, Running, Succeeded, Failed) created at T0 unless told otherwise. */
    static PodBuilder pod(String name, String phase) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid(name + "-uid")
                .withCreationTimestamp(Times.format(T0.minusSeconds(600))).endMetadata()
                .withNewSpec().withNodeName("node").endSpec()
                .withNewStatus().withPhase(phase).endStatus();
    }

    static Pod running(String name) {
        return pod(name, "Running").build();
    }

    static Pod ready(String name) {
        return pod(name, "Running").editStatus().addToConditions(new PodConditionBuilder().withType("Ready")
                .withStatus("True").build()).endStatus().build();
    }

    /** A terminated pod whose container finished at {@code at}. */
    static Pod finished(String name, String phase, Instant at) {
        return pod(name, phase).editStatus().addToContainerStatuses(new ContainerStatusBuilder().withName("main")
                .withRestartCount(0).withNewState().withNewTerminated().withExitCode("Succeeded".equals(phase) ? 0 : 1)
                .withFinishedAt(Times.format(at)).endTerminated().endState().build()).endStatus().build();
    }

    static Pod indexed(Pod pod, int index) {
        return new PodBuilder(pod).editMetadata().addToAnnotations(JobPods.COMPLETION_INDEX, Integer.toString(index))
                .endMetadata().build();
    }

    static Pod deleting(Pod pod) {
        return new PodBuilder(pod).editMetadata().withDeletionTimestamp(Times.format(T0)).endMetadata().build();
    }
}
