package dev.skiff.control.controller;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Pure parts of the ReplicaSet controller: slow start, deletion ranking, status. */
class ReplicaSetLogicTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");

    @Test
    void slowStartDoublesBatchesAndStopsAfterAFailingBatch() {
        List<Integer> calls = new ArrayList<>();
        assertThat(ReplicaSetController.SlowStart.run(10, 1, i -> calls.add(i))).isEqualTo(10);
        assertThat(calls).hasSize(10);

        // Batches 1, 2, 4: the call with index 4 (in the third batch) fails; the batch finishes, nothing follows.
        List<Integer> seen = new ArrayList<>();
        int ok = ReplicaSetController.SlowStart.run(20, 1, i -> {
            seen.add(i);
            return i != 4;
        });
        assertThat(seen).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(ok).isEqualTo(6);

        // A failure in the first batch of one stops everything.
        assertThat(ReplicaSetController.SlowStart.run(5, 1, i -> false)).isZero();
    }

    @Test
    void slowStartRunsTheCallsOfOneBatchConcurrently() throws Exception {
        // Batches 1, 2, 4: the third batch's four calls each wait for all four to have started, which only
        // happens if they run at the same time (one after the other, the first would give up waiting).
        java.util.concurrent.CountDownLatch thirdBatch = new java.util.concurrent.CountDownLatch(4);
        try (var calls = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            int ok = ReplicaSetController.SlowStart.run(7, 1, i -> {
                if (i < 3) {
                    return true;
                }
                thirdBatch.countDown();
                try {
                    return thirdBatch.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return false;
                }
            }, calls);
            assertThat(ok).isEqualTo(7);
        }
    }

    static Pod pod(String name, String node, String phase, boolean ready, String created) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withCreationTimestamp(created)
                .withLabels(Map.of("app", "web")).endMetadata()
                .withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase(phase).endStatus();
        if (ready) {
            b.editStatus().addNewCondition().withType("Ready").withStatus("True")
                    .withLastTransitionTime("2026-01-01T00:00:00Z").endCondition().endStatus();
        }
        return b.build();
    }

    @Test
    void deletesUnscheduledThenPendingThenNotReadyThenNewest() {
        Pod unscheduled = pod("unscheduled", null, "Pending", false, "2026-01-01T00:00:00Z");
        Pod pending = pod("pending", "n1", "Pending", false, "2026-01-01T00:00:00Z");
        Pod notReady = pod("not-ready", "n2", "Running", false, "2026-01-01T00:00:00Z");
        Pod readyOld = pod("ready-old", "n3", "Running", true, "2026-01-01T00:00:00Z");
        Pod readyNew = pod("ready-new", "n4", "Running", true, "2026-01-01T00:05:00Z");
        List<Pod> pods = List.of(readyOld, readyNew, notReady, pending, unscheduled);
        assertThat(DeletionRanking.podsToDelete(pods, pods, 4)).extracting(p -> p.getMetadata().getName())
                .containsExactly("unscheduled", "pending", "not-ready", "ready-new");
    }

    @Test
    void prefersPodsOnCrowdedNodes() {
        Pod alone = pod("alone", "n1", "Running", true, "2026-01-01T00:00:00Z");
        Pod crowdedA = pod("crowded-a", "n2", "Running", true, "2026-01-01T00:00:00Z");
        Pod crowdedB = pod("crowded-b", "n2", "Running", true, "2026-01-01T00:00:00Z");
        List<Pod> pods = List.of(alone, crowdedA, crowdedB);
        assertThat(DeletionRanking.podsToDelete(pods, pods, 1)).extracting(p -> p.getMetadata().getName())
                .containsAnyOf("crowded-a", "crowded-b");
    }

    @Test
    void statusCountsAvailabilityAfterMinReadySecondsAndReportsFailures() {
        ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withName("web").withGeneration(4L).endMetadata()
                .withNewSpec().withReplicas(3).withMinReadySeconds(300)
                .withTemplate(Fixtures.template(Map.of("app", "web", "tier", "front"), "nginx:1")).endSpec()
                .build();
        Pod longReady = pod("a", "n1", "Running", true, "2026-01-01T00:00:00Z");
        Pod justReady = pod("b", "n1", "Running", true, "2026-01-01T00:00:00Z");
        justReady.getStatus().getConditions().get(0).setLastTransitionTime("2026-01-01T00:09:00Z");
        Pod fullyLabeled = pod("c", "n1", "Pending", false, "2026-01-01T00:00:00Z");
        fullyLabeled.getMetadata().setLabels(Map.of("app", "web", "tier", "front"));

        ReplicaSetStatus status = ReplicaSetStatusCalculator.calculate(rs, List.of(longReady, justReady, fullyLabeled),
                "FailedCreate", "quota exceeded", NOW);
        assertThat(status.getReplicas()).isEqualTo(3);
        assertThat(status.getFullyLabeledReplicas()).isEqualTo(1);
        assertThat(status.getReadyReplicas()).isEqualTo(2);
        assertThat(status.getAvailableReplicas()).isEqualTo(1);
        assertThat(status.getObservedGeneration()).isEqualTo(4L);
        assertThat(status.getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo("ReplicaFailure");
            assertThat(c.getReason()).isEqualTo("FailedCreate");
            assertThat(c.getMessage()).isEqualTo("quota exceeded");
        });

        rs.setStatus(status);
        assertThat(ReplicaSetStatusCalculator.calculate(rs, List.of(), null, null, NOW).getConditions()).isEmpty();
    }
}
