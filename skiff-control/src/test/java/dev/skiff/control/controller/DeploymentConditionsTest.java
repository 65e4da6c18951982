package dev.skiff.control.controller;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Deployment status snapshots: counts, Available, and the Progressing transitions. */
class DeploymentConditionsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static Deployment deployment(int replicas, DeploymentStatus status) {
        return new DeploymentBuilder().withNewMetadata().withName("web").withGeneration(2L).endMetadata()
                .withNewSpec().withReplicas(replicas).withProgressDeadlineSeconds(600).endSpec()
                .withStatus(status).build();
    }

    static ReplicaSet rs(String name, int spec, int status, int ready, int available) {
        return new ReplicaSetBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(spec).endSpec()
                .withNewStatus().withReplicas(status).withReadyReplicas(ready).withAvailableReplicas(available)
                .endStatus().build();
    }

    @Test
    void countsAcrossReplicaSetsAndAvailability() {
        Deployment d = deployment(4, null); // 25% default: one may be unavailable
        ReplicaSet old = rs("old", 2, 2, 2, 2);
        ReplicaSet next = rs("new", 3, 3, 1, 1);
        DeploymentStatus s = DeploymentConditions.calculate(d, List.of(old, next), next, T0);
        assertThat(s.getReplicas()).isEqualTo(5);
        assertThat(s.getUpdatedReplicas()).isEqualTo(3);
        assertThat(s.getReadyReplicas()).isEqualTo(3);
        assertThat(s.getAvailableReplicas()).isEqualTo(3);
        assertThat(s.getUnavailableReplicas()).isEqualTo(2);
        assertThat(s.getObservedGeneration()).isEqualTo(2L);
        assertThat(DeploymentConditions.get(s, "Available").getStatus()).isEqualTo("True");

        DeploymentStatus low = DeploymentConditions.calculate(d, List.of(rs("new", 4, 4, 2, 2)), null, T0);
        assertThat(DeploymentConditions.get(low, "Available").getReason()).isEqualTo("MinimumReplicasUnavailable");
    }

    @Test
    void progressingMovesFromUpdatedToAvailableOrToDeadlineExceeded() {
        DeploymentStatus before = new DeploymentStatusBuilder().withReplicas(3).withUpdatedReplicas(1).withReadyReplicas(2)
                .withAvailableReplicas(2).withObservedGeneration(2L).build();
        DeploymentConditions.set(before, DeploymentConditions.condition("Progressing", "True", "ReplicaSetUpdated",
                "x", T0));
        Deployment d = deployment(3, before);
        ReplicaSet next = rs("new", 3, 3, 3, 3);

        // Progress: more updated replicas refresh lastUpdateTime, keep lastTransitionTime.
        ReplicaSet halfway = rs("new", 2, 2, 2, 2);
        DeploymentStatus progressed = DeploymentConditions.calculate(d, List.of(halfway, rs("old", 1, 1, 1, 1)),
                halfway, T0.plusSeconds(30));
        DeploymentConditions.updateProgressing(d, progressed, halfway, T0.plusSeconds(30));
        DeploymentCondition p = DeploymentConditions.get(progressed, "Progressing");
        assertThat(p.getReason()).isEqualTo("ReplicaSetUpdated");
        assertThat(p.getLastUpdateTime()).isEqualTo("2026-01-01T00:00:30Z");
        assertThat(p.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");

        // Complete.
        DeploymentStatus done = DeploymentConditions.calculate(d, List.of(next), next, T0.plusSeconds(60));
        DeploymentConditions.updateProgressing(d, done, next, T0.plusSeconds(60));
        assertThat(DeploymentConditions.complete(d, done)).isTrue();
        assertThat(DeploymentConditions.get(done, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
        assertThat(DeploymentConditions.get(done, "Progressing").getMessage())
                .isEqualTo("ReplicaSet \"new\" has successfully progressed.");

        // No progress for longer than the deadline.
        ReplicaSet stuck = rs("new", 1, 1, 0, 0);
        DeploymentStatus stalled = DeploymentConditions.calculate(d, List.of(stuck, rs("old", 2, 2, 2, 2)), stuck,
                T0.plusSeconds(601));
        DeploymentConditions.updateProgressing(d, stalled, stuck, T0.plusSeconds(601));
        DeploymentCondition exceeded = DeploymentConditions.get(stalled, "Progressing");
        assertThat(exceeded.getStatus()).isEqualTo("False");
        assertThat(exceeded.getReason()).isEqualTo("ProgressDeadlineExceeded");
    }
}
