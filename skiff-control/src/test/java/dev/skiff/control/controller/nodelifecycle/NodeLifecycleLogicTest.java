package dev.skiff.control.controller.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Table tests of the node lifecycle's pure decisions: health, taints, taint eviction. */
class NodeLifecycleLogicTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final String PROVIDER = "virtual-kubelet.io/provider";

    private static Node node(String ready, String memoryPressure, boolean cordoned, String... taints) {
        var builder = new NodeBuilder().withNewMetadata().withName("vk").withCreationTimestamp("2025-06-01T10:00:00Z")
                .endMetadata().withNewSpec().withUnschedulable(cordoned ? true : null).endSpec().withNewStatus();
        if (!ready.equals("none")) {
            builder = builder.addNewCondition().withType("Ready").withStatus(ready).withReason("KubeletReady")
                    .withLastHeartbeatTime("2025-06-01T11:59:00Z").withLastTransitionTime("2025-06-01T10:00:00Z")
                    .endCondition();
        }
        if (memoryPressure != null) {
            builder = builder.addNewCondition().withType("MemoryPressure").withStatus(memoryPressure).endCondition();
        }
        Node node = builder.endStatus().build();
        List<Taint> list = new ArrayList<>();
        list.add(new TaintBuilder().withKey(PROVIDER).withValue("skiff").withEffect("NoSchedule").build());
        for (String t : taints) {
            String[] parts = t.split(":");
            list.add(new TaintBuilder().withKey(parts[0]).withEffect(parts[1])
                    .withTimeAdded(parts[1].equals("NoExecute") ? "2025-06-01T11:00:00Z" : null).build());
        }
        node.getSpec().setTaints(list);
        return node;
    }

    @ParameterizedTest(name = "last seen {0}s ago -> silent {1}")
    @CsvSource({"0, false", "39, false", "40, false", "41, true", "600, true"})
    void aNodeIsSilentOnceItsGracePeriodIsOver(int secondsAgo, boolean silent) {
        assertThat(NodeHealth.silent(NOW.minusSeconds(secondsAgo), NOW, Duration.ofSeconds(40))).isEqualTo(silent);
    }

    @Test
    void silentNodesGetUnknownConditionsWithUpstreamReasons() {
        List<NodeCondition> conditions = NodeHealth.markedUnknown(node("True", "False", false), NOW);

        assertThat(conditions).extracting(NodeCondition::getType)
                .containsExactly("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");
        assertThat(conditions).allSatisfy(c -> assertThat(c.getStatus()).isEqualTo("Unknown"));
        NodeCondition ready = conditions.getFirst();
        assertThat(ready.getReason()).isEqualTo("NodeStatusUnknown");
        assertThat(ready.getMessage()).isEqualTo("Kubelet stopped posting node status.");
        assertThat(ready.getLastHeartbeatTime()).isEqualTo("2025-06-01T11:59:00Z");
        assertThat(ready.getLastTransitionTime()).isEqualTo("2025-06-01T12:00:00Z");
        assertThat(conditions.get(2).getReason()).isEqualTo("NodeStatusNeverUpdated");
        assertThat(conditions.get(2).getMessage()).isEqualTo("Kubelet never posted node status.");

        Node alreadyMarked = new NodeBuilder(node("True", null, false)).editStatus().withConditions(conditions)
                .endStatus().build();
        assertThat(NodeHealth.markedUnknown(alreadyMarked, NOW.plusSeconds(5))).isNull();
    }

    /** Owned taints follow the conditions; the provider taint is never touched; null means no change. */
    @ParameterizedTest(name = "Ready={0} memory={1} cordoned={2} taints={3} -> {4}")
    @CsvSource(delimiter = '|', value = {
            "True    | False | false | ''                                   | unchanged",
            "Unknown | False | false | ''                                   | unreachable:NoSchedule unreachable:NoExecute",
            "False   | False | false | ''                                   | not-ready:NoSchedule not-ready:NoExecute",
            "False   | False | false | unreachable:NoSchedule unreachable:NoExecute | not-ready:NoSchedule not-ready:NoExecute",
            "True    | False | false | unreachable:NoSchedule unreachable:NoExecute | ''",
            "Unknown | False | false | unreachable:NoSchedule unreachable:NoExecute | unchanged",
            "True    | True  | false | ''                                   | memory-pressure:NoSchedule",
            "True    | False | true  | ''                                   | unschedulable:NoSchedule",
            "none    | False | false | ''                                   | unchanged"})
    void taintsFollowConditions(String ready, String memory, boolean cordoned, String taints, String expected) {
        String[] present = taints.isBlank() ? new String[0]
                : java.util.Arrays.stream(taints.trim().split(" ")).map(t -> "node.kubernetes.io/" + t)
                .toArray(String[]::new);
        Node node = node(ready.trim(), memory.trim(), cordoned, present);

        List<Taint> result = NodeTaints.reconciled(node, NOW);

        if (expected.trim().equals("unchanged")) {
            assertThat(result).isNull();
            return;
        }
        assertThat(result).first().satisfies(t -> assertThat(t.getKey()).isEqualTo(PROVIDER));
        List<String> owned = result.stream().skip(1)
                .map(t -> t.getKey().substring("node.kubernetes.io/".length()) + ":" + t.getEffect()).toList();
        assertThat(String.join(" ", owned)).isEqualTo(expected.trim());
        // Kept taints keep their timeAdded; new NoExecute taints are stamped now.
        result.stream().filter(t -> "NoExecute".equals(t.getEffect())).forEach(t -> assertThat(t.getTimeAdded())
                .isEqualTo(taints.contains(t.getKey().substring(19) + ":NoExecute") ? "2025-06-01T11:00:00Z"
                        : "2025-06-01T12:00:00Z"));
    }

    /**
     * Taint eviction against an unreachable NoExecute taint added at 11:00 (now is 12:00): keep, evict now, or evict
     * when the smallest tolerationSeconds runs out.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "none                                         | now",
            "unreachable:Exists:300                       | 2025-06-01T11:05:00Z",
            "unreachable:Exists:7200                      | 2025-06-01T13:00:00Z",
            "unreachable:Exists:-                         | keep",
            "any:Exists:-                                 | keep",
            "not-ready:Exists:300                         | now",
            "unreachable:Exists:7200,any:Exists:3600      | 2025-06-01T12:00:00Z",
            "unreachable:Exists:-5                        | 2025-06-01T11:00:00Z"})
    void podsAreEvictedWhenTheirTolerationRunsOut(String tolerations, String expected) {
        var spec = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec();
        if (!tolerations.trim().equals("none")) {
            for (String t : tolerations.trim().split(",")) {
                String[] p = t.split(":");
                String key = p[0].equals("any") ? "" : p[0];
                spec = spec.addToTolerations(new TolerationBuilder()
                        .withKey(key.isEmpty() ? null : "node.kubernetes.io/" + key).withOperator(p[1])
                        .withEffect(key.isEmpty() ? null : "NoExecute")
                        .withTolerationSeconds(p[2].equals("-") ? null : Long.parseLong(p[2])).build());
            }
        }
        Pod pod = spec.endSpec().build();
        List<Taint> taints = List.of(new TaintBuilder().withKey(NodeTaints.UNREACHABLE).withEffect("NoExecute")
                .withTimeAdded("2025-06-01T11:00:00Z").build());

        TaintEviction.Decision decision = TaintEviction.decide(pod, taints, NOW);

        switch (expected.trim()) {
            case "keep" -> assertThat(decision).isEqualTo(new TaintEviction.Keep());
            case "now" -> assertThat(decision).isEqualTo(new TaintEviction.EvictAt(NOW));
            default -> assertThat(decision).isEqualTo(new TaintEviction.EvictAt(Instant.parse(expected.trim())));
        }
    }
}
