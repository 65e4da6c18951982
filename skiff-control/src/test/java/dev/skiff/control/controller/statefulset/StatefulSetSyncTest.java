package dev.skiff.control.controller.statefulset;

import dev.skiff.control.controller.statefulset.SyncAction.Create;
import dev.skiff.control.controller.statefulset.SyncAction.Delete;
import dev.skiff.control.controller.statefulset.SyncAction.DeleteReason;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Table tests of one StatefulSet sync over snapshots of pods: the ordering of creations and deletions, the rolling
 * update's order, partition and maxUnavailable, and the status. Pods are written as {@code "<ordinal>:<state>"}
 * with state {@code ready} (Running and Ready, at the update revision), {@code old} (ready, at the current
 * revision), {@code pending}, {@code failed}, {@code terminating}, {@code fresh} (ready 10 s ago).
 */
class StatefulSetSyncTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
    static final String CURRENT = "web-old";
    static final String UPDATE = "web-new";

    static StatefulSet set(int replicas, String policy) {
        return new StatefulSetBuilder().withNewMetadata().withName("web").withNamespace("ns").withGeneration(2L)
                .endMetadata()
                .withNewSpec().withReplicas(replicas).withPodManagementPolicy(policy).withServiceName("web")
                .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate().withPartition(0)
                .endRollingUpdate().endUpdateStrategy()
                .endSpec().build();
    }

    static Pod pod(String spec) {
        String[] parts = spec.split(":");
        int ordinal = Integer.parseInt(parts[0]);
        String state = parts[1];
        String revision = state.equals("old") ? CURRENT : UPDATE;
        PodBuilder b = new PodBuilder().withNewMetadata().withName("web-" + ordinal).withNamespace("ns")
                .withLabels(Map.of(StatefulSets.POD_NAME_LABEL, "web-" + ordinal,
                        StatefulSets.POD_INDEX_LABEL, String.valueOf(ordinal), StatefulSets.REVISION_LABEL, revision))
                .endMetadata().withNewStatus().endStatus();
        switch (state) {
            case "ready", "old", "terminating" -> b.editStatus().withPhase("Running").addNewCondition()
                    .withType("Ready").withStatus("True").withLastTransitionTime("2026-01-01T00:00:00Z")
                    .endCondition().endStatus();
            case "fresh" -> b.editStatus().withPhase("Running").addNewCondition().withType("Ready")
                    .withStatus("True").withLastTransitionTime("2026-01-01T00:09:50Z").endCondition().endStatus();
            case "pending" -> b.editStatus().withPhase("Pending").endStatus();
            case "failed" -> b.editStatus().withPhase("Failed").endStatus();
            default -> throw new IllegalArgumentException(state);
        }
        if (state.equals("terminating")) {
            b.editMetadata().withDeletionTimestamp("2026-01-01T00:09:00Z").endMetadata();
        }
        return b.build();
    }

    static List<Pod> pods(String... specs) {
        List<Pod> pods = new ArrayList<>();
        for (String spec : specs) {
            pods.add(pod(spec));
        }
        return pods;
    }

    /** The plan's actions as short strings: {@code create 2@web-new}, {@code delete web-3 SCALE_DOWN}. */
    static List<String> actions(SyncPlan plan) {
        return plan.actions().stream().map(a -> switch (a) {
            case Create c -> "create " + c.ordinal() + "@" + c.revision();
            case Delete d -> "delete " + d.pod().getMetadata().getName() + " " + d.reason();
            case SyncAction.RestoreIdentity r -> "restore " + r.pod().getMetadata().getName();
        }).toList();
    }

    static Stream<Arguments> orderedReady() {
        return Stream.of(
                Arguments.of("empty set: create ordinal 0 only", 3, List.of(), List.of("create 0@web-new")),
                Arguments.of("wait for 0 to be ready before 1", 3, List.of("0:pending"), List.of()),
                Arguments.of("0 ready: create 1", 3, List.of("0:ready"), List.of("create 1@web-new")),
                Arguments.of("a gap is filled first", 3, List.of("0:ready", "2:ready"), List.of("create 1@web-new")),
                Arguments.of("all ready: nothing", 3, List.of("0:ready", "1:ready", "2:ready"), List.of()),
                Arguments.of("scale down: highest first, one at a time", 1,
                        List.of("0:ready", "1:ready", "2:ready"), List.of("delete web-2 SCALE_DOWN")),
                Arguments.of("scale down waits for the terminating pod", 1,
                        List.of("0:ready", "1:ready", "2:terminating"), List.of()),
                Arguments.of("scale down waits while a replica is unhealthy", 1,
                        List.of("0:pending", "1:ready", "2:ready"), List.of()),
                Arguments.of("failed pod is deleted for recreation", 3,
                        List.of("0:ready", "1:failed", "2:ready"), List.of("delete web-1 RECREATE_FAILED")),
                Arguments.of("a user-deleted pod is recreated with its name", 3,
                        List.of("0:ready", "2:ready"), List.of("create 1@web-new")),
                Arguments.of("terminating replica blocks the ones after it", 3,
                        List.of("0:terminating", "1:ready"), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void orderedReady(String name, int replicas, List<String> pods, List<String> expected) {
        SyncPlan plan = StatefulSetSync.plan(set(replicas, "OrderedReady"), pods(pods.toArray(String[]::new)),
                UPDATE, UPDATE, 0, NOW);
        assertThat(actions(plan)).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> parallel() {
        return Stream.of(
                Arguments.of("empty set: create all", 3, List.of(),
                        List.of("create 0@web-new", "create 1@web-new", "create 2@web-new")),
                Arguments.of("does not wait for pending pods", 3, List.of("0:pending"),
                        List.of("create 1@web-new", "create 2@web-new")),
                Arguments.of("scale down deletes all surplus at once, highest first", 1,
                        List.of("0:ready", "1:pending", "2:ready"),
                        List.of("delete web-2 SCALE_DOWN", "delete web-1 SCALE_DOWN")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void parallel(String name, int replicas, List<String> pods, List<String> expected) {
        SyncPlan plan = StatefulSetSync.plan(set(replicas, "Parallel"), pods(pods.toArray(String[]::new)),
                UPDATE, UPDATE, 0, NOW);
        assertThat(actions(plan)).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> rollingUpdate() {
        return Stream.of(
                Arguments.of("highest ordinal first", 0, null, List.of("0:old", "1:old", "2:old"),
                        List.of("delete web-2 UPDATE")),
                Arguments.of("then the next once the updated pod is healthy", 0, null,
                        List.of("0:old", "1:old", "2:ready"), List.of("delete web-1 UPDATE")),
                Arguments.of("waits while the updated pod is not ready", 0, null,
                        List.of("0:old", "1:old", "2:pending"), List.of()),
                Arguments.of("recreates the deleted pod at the update revision", 0, null,
                        List.of("0:old", "1:old"), List.of("create 2@web-new")),
                Arguments.of("partition keeps lower ordinals", 2, null, List.of("0:old", "1:old", "2:ready"),
                        List.of()),
                Arguments.of("below the partition pods are recreated at the current revision", 2, null,
                        List.of("1:old", "2:ready"), List.of("create 0@web-old")),
                Arguments.of("maxUnavailable 2 deletes two at once", 0, new IntOrString(2),
                        List.of("0:old", "1:old", "2:old"), List.of("delete web-2 UPDATE", "delete web-1 UPDATE")),
                Arguments.of("maxUnavailable counts the pods already unavailable", 0, new IntOrString(2),
                        List.of("0:old", "1:old", "2:pending"), List.of()),
                Arguments.of("maxUnavailable 50% of 3 rounds down to 1", 0, new IntOrString("50%"),
                        List.of("0:old", "1:old", "2:old"), List.of("delete web-2 UPDATE")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rollingUpdate(String name, int partition, IntOrString maxUnavailable, List<String> pods,
                       List<String> expected) {
        StatefulSet set = set(3, "OrderedReady");
        set.getSpec().getUpdateStrategy().getRollingUpdate().setPartition(partition);
        set.getSpec().getUpdateStrategy().getRollingUpdate().setMaxUnavailable(maxUnavailable);
        SyncPlan plan = StatefulSetSync.plan(set, pods(pods.toArray(String[]::new)), CURRENT, UPDATE, 0, NOW);
        assertThat(actions(plan)).containsExactlyElementsOf(expected);
    }

    @Test
    void onDeleteNeverDeletesOldPodsButRecreatesAtTheUpdateRevision() {
        StatefulSet set = set(3, "OrderedReady");
        set.getSpec().getUpdateStrategy().setType("OnDelete");
        set.getSpec().getUpdateStrategy().setRollingUpdate(null);
        assertThat(actions(StatefulSetSync.plan(set, pods("0:old", "1:old", "2:old"), CURRENT, UPDATE, 0, NOW)))
                .isEmpty();
        assertThat(actions(StatefulSetSync.plan(set, pods("0:old", "2:old"), CURRENT, UPDATE, 0, NOW)))
                .containsExactly("create 1@web-new");
    }

    @Test
    void ordinalsStartShiftsNamesAndScaleDown() {
        StatefulSet set = set(2, "OrderedReady");
        set.getSpec().setOrdinals(new io.fabric8.kubernetes.api.model.apps.StatefulSetOrdinals(5));
        assertThat(actions(StatefulSetSync.plan(set, List.of(), UPDATE, UPDATE, 0, NOW)))
                .containsExactly("create 5@web-new");
        // Ordinal 0..4 are out of range now: the highest of them goes first.
        assertThat(actions(StatefulSetSync.plan(set, pods("5:ready", "6:ready", "0:ready", "1:ready"),
                UPDATE, UPDATE, 0, NOW))).containsExactly("delete web-1 SCALE_DOWN");
    }

    @Test
    void minReadySecondsHoldsTheNextOrdinalAndAvailability() {
        StatefulSet set = set(2, "OrderedReady");
        set.getSpec().setMinReadySeconds(30);
        SyncPlan plan = StatefulSetSync.plan(set, pods("0:fresh"), UPDATE, UPDATE, 0, NOW);
        assertThat(actions(plan)).isEmpty();
        assertThat(plan.status().getReadyReplicas()).isEqualTo(1);
        assertThat(plan.status().getAvailableReplicas()).isZero();
        assertThat(actions(StatefulSetSync.plan(set, pods("0:fresh"), UPDATE, UPDATE, 0, NOW.plusSeconds(30))))
                .containsExactly("create 1@web-new");
    }

    @Test
    void aSetBeingDeletedOnlyReportsStatus() {
        StatefulSet set = set(3, "OrderedReady");
        set.getMetadata().setDeletionTimestamp("2026-01-01T00:09:00Z");
        assertThat(StatefulSetSync.plan(set, pods("0:ready"), UPDATE, UPDATE, 0, NOW).actions()).isEmpty();
    }

    @Test
    void lostIdentityLabelsAreRestored() {
        Pod pod = pod("0:ready");
        pod.getMetadata().setLabels(Map.of(StatefulSets.REVISION_LABEL, UPDATE));
        assertThat(actions(StatefulSetSync.plan(set(1, "OrderedReady"), List.of(pod), UPDATE, UPDATE, 0, NOW)))
                .containsExactly("restore web-0");
    }

    @Test
    void statusDuringAndAfterARollout() {
        StatefulSet set = set(3, "OrderedReady");
        StatefulSetStatus during = StatefulSetSync.plan(set, pods("0:old", "1:old", "2:ready"), CURRENT, UPDATE, 3,
                NOW).status();
        assertThat(during.getReplicas()).isEqualTo(3);
        assertThat(during.getReadyReplicas()).isEqualTo(3);
        // web-1 is deleted by this sync, so it no longer counts as current.
        assertThat(during.getCurrentReplicas()).isEqualTo(1);
        assertThat(during.getUpdatedReplicas()).isEqualTo(1);
        assertThat(during.getCurrentRevision()).isEqualTo(CURRENT);
        assertThat(during.getUpdateRevision()).isEqualTo(UPDATE);
        assertThat(during.getCollisionCount()).isEqualTo(3);
        assertThat(during.getObservedGeneration()).isEqualTo(2L);

        StatefulSetStatus done = StatefulSetSync.plan(set, pods("0:ready", "1:ready", "2:ready"), CURRENT, UPDATE, 0,
                NOW).status();
        assertThat(done.getCurrentRevision()).isEqualTo(UPDATE);
        assertThat(done.getCurrentReplicas()).isEqualTo(3);
        assertThat(done.getUpdatedReplicas()).isEqualTo(3);
        assertThat(done.getAvailableReplicas()).isEqualTo(3);
    }
}
