package dev.skiff.control.controller.disruption;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Table tests of the disruption controller's status computation (upstream's trySync). */
class BudgetStatusTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private static PodDisruptionBudget budget(String spec) {
        String[] kv = spec.split("=");
        IntOrString value = kv[1].endsWith("%") ? new IntOrString(kv[1]) : new IntOrString(Integer.parseInt(kv[1]));
        var nested = new PodDisruptionBudgetBuilder().withNewMetadata().withName("budget").withNamespace("ns")
                .withGeneration(2L).endMetadata().withNewSpec().withNewSelector().addToMatchLabels("app", "web")
                .endSelector();
        return (kv[0].equals("min") ? nested.withMinAvailable(value) : nested.withMaxUnavailable(value)).endSpec()
                .build();
    }

    /** A pod of the Deployment's ReplicaSet {@code rs}: ready or not, possibly terminating. */
    private static Pod pod(String name, String rs, boolean ready, boolean terminating) {
        var builder = new PodBuilder().withNewMetadata().withName(name).withNamespace("ns")
                .addToLabels("app", "web").withDeletionTimestamp(terminating ? "2025-06-01T11:59:00Z" : null);
        if (rs != null) {
            builder = builder.addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(rs)
                    .withUid(rs + "-uid").withController(true).endOwnerReference();
        }
        return builder.endMetadata().withNewStatus().withPhase("Running").addNewCondition().withType("Ready")
                .withStatus(ready ? "True" : "False").endCondition().endStatus().build();
    }

    /** Both ReplicaSets belong to one Deployment scaled to {@code replicas}. */
    private static ScaleFinder deployment(int replicas) {
        return (ref, namespace) -> ref.getUid().startsWith("rs") ? new ControllerScale("deploy-uid", replicas) : null;
    }

    @ParameterizedTest(name = "{0}: ready={1} unready={2} terminating={3} scale={4}")
    @CsvSource({
            // spec,      ready, unready, terminating, scale, expected, desired, healthy, allowed, reason
            "min=2,       3,     0,       0,           3,     3,        2,       3,       1,       SufficientPods",
            "min=3,       3,     0,       0,           3,     3,        3,       3,       0,       InsufficientPods",
            "min=2,       2,     0,       1,           3,     3,        2,       2,       0,       InsufficientPods",
            "min=50%,     3,     0,       0,           4,     4,        2,       3,       1,       SufficientPods",
            "min=50%,     3,     0,       0,           5,     5,        3,       3,       0,       InsufficientPods",
            "max=1,       4,     0,       0,           4,     4,        3,       4,       1,       SufficientPods",
            "max=25%,     3,     1,       0,           5,     5,        3,       3,       0,       InsufficientPods",
            "max=25%,     8,     0,       0,           8,     8,        6,       8,       2,       SufficientPods",
            "max=10,      2,     0,       0,           2,     2,        0,       2,       2,       SufficientPods",
            "min=0,       0,     0,       0,           0,     0,        0,       0,       0,       InsufficientPods"})
    void countsAndAllowance(String spec, int ready, int unready, int terminating, int scale, int expected,
                            int desired, int healthy, int allowed, String reason) throws Exception {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < ready + unready + terminating; i++) {
            // Two ReplicaSets of one Deployment (a rollout): the Deployment's scale counts once.
            pods.add(pod("p" + i, i % 2 == 0 ? "rs-a" : "rs-b", i < ready || i >= ready + unready,
                    i >= ready + unready));
        }

        PodDisruptionBudgetStatus status = BudgetStatus.compute(budget(spec), pods, deployment(scale), NOW).status();

        assertThat(status.getExpectedPods()).isEqualTo(expected);
        assertThat(status.getDesiredHealthy()).isEqualTo(desired);
        assertThat(status.getCurrentHealthy()).isEqualTo(healthy);
        assertThat(status.getDisruptionsAllowed()).isEqualTo(allowed);
        assertThat(status.getObservedGeneration()).isEqualTo(2L);
        assertThat(status.getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo("DisruptionAllowed");
            assertThat(c.getStatus()).isEqualTo(allowed > 0 ? "True" : "False");
            assertThat(c.getReason()).isEqualTo(reason);
        });
    }

    /** Evictions recorded less than two minutes ago are not healthy and are kept; older ones are dropped. */
    @Test
    void disruptedPodsExpireAfterTheDeletionTimeout() throws Exception {
        PodDisruptionBudget pdb = new PodDisruptionBudgetBuilder(budget("min=1")).withNewStatus()
                .withDisruptedPods(Map.of("p0", "2025-06-01T11:59:00Z", "p1", "2025-06-01T11:57:00Z",
                        "gone", "2025-06-01T11:59:30Z"))
                .endStatus().build();
        List<Pod> pods = List.of(pod("p0", "rs-a", true, false), pod("p1", "rs-a", true, false),
                pod("p2", "rs-a", true, false));

        BudgetStatus.Result result = BudgetStatus.compute(pdb, pods, deployment(3), NOW);

        assertThat(result.status().getDisruptedPods()).containsOnlyKeys("p0");
        assertThat(result.status().getCurrentHealthy()).isEqualTo(2);
        assertThat(result.status().getDisruptionsAllowed()).isEqualTo(1);
        assertThat(result.recheckAt()).isEqualTo(Instant.parse("2025-06-01T12:01:00Z"));
    }

    @Test
    void podsWithoutControllersAreUnmanagedAndMissingControllersFailSafe() throws Exception {
        List<Pod> pods = List.of(pod("owned", "rs-a", true, false), pod("bare", null, true, false));

        BudgetStatus.Result result = BudgetStatus.compute(budget("max=1"), pods, deployment(1), NOW);
        assertThat(result.unmanaged()).containsExactly("bare");
        assertThat(result.status().getExpectedPods()).isEqualTo(1);

        List<Pod> orphaned = List.of(pod("lost", "other", true, false));
        assertThatThrownBy(() -> BudgetStatus.compute(budget("min=50%"), orphaned, deployment(1), NOW))
                .isInstanceOf(BudgetStatus.SyncFailed.class).hasMessage("found no controllers for pod \"lost\"");
        PodDisruptionBudgetStatus safe = BudgetStatus.failSafe(budget("min=50%"), "found no controllers", NOW);
        assertThat(safe.getDisruptionsAllowed()).isZero();
        assertThat(safe.getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("SyncFailed");
            assertThat(c.getMessage()).isEqualTo("found no controllers");
        });
    }

    /** A status read back from the server compares equal, so the controller does not write it again. */
    @Test
    void theConditionKeepsItsTransitionTimeWhileItsStatusHolds() throws Exception {
        List<Pod> pods = List.of(pod("p0", "rs-a", true, false), pod("p1", "rs-a", true, false));
        PodDisruptionBudgetStatus first = BudgetStatus.compute(budget("min=1"), pods, deployment(2), NOW).status();
        PodDisruptionBudget written = new PodDisruptionBudgetBuilder(budget("min=1")).withStatus(first).build();

        PodDisruptionBudgetStatus again = BudgetStatus.compute(written, pods, deployment(2),
                NOW.plusSeconds(60)).status();

        assertThat(BudgetStatus.same(first, again)).isTrue();
        assertThat(again.getConditions().getFirst().getLastTransitionTime())
                .isEqualTo(first.getConditions().getFirst().getLastTransitionTime());
    }
}
