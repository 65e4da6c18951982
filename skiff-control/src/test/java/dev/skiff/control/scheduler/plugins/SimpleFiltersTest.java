package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.ClusterSnapshot;
import dev.skiff.control.scheduler.framework.FilterStatus;
import dev.skiff.control.scheduler.testing.TestNode;
import dev.skiff.control.scheduler.testing.TestPod;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.skiff.control.scheduler.testing.Harness.filter;
import static dev.skiff.control.scheduler.testing.Harness.passing;
import static dev.skiff.control.scheduler.testing.Harness.reason;
import static dev.skiff.control.scheduler.testing.Harness.snapshot;
import static dev.skiff.control.scheduler.testing.TestNode.node;
import static dev.skiff.control.scheduler.testing.TestPod.pod;
import static org.assertj.core.api.Assertions.assertThat;

/** NodeUnschedulable, NodeReady, NodeName, TaintToleration and EciVSwitch over small snapshots. */
class SimpleFiltersTest {

    @Test
    void nodeUnschedulableSkipsCordonedNodesUnlessTolerated() {
        ClusterSnapshot s = snapshot(List.of(node("a").build(), node("b").unschedulable().build()), List.of());
        Map<String, FilterStatus> result = filter(new NodeUnschedulable(), s, pod("p").build());
        assertThat(result.get("a")).isEqualTo(FilterStatus.PASS);
        assertThat(result.get("b")).isEqualTo(FilterStatus.unresolvable("node(s) were unschedulable"));
        Pod tolerant = pod("p").tolerate("node.kubernetes.io/unschedulable", "Exists", null, "NoSchedule").build();
        assertThat(passing(new NodeUnschedulable(), s, tolerant)).containsExactly("a", "b");
    }

    @Test
    void nodeReadyActsAsTheNotReadyAndUnreachableTaints() {
        ClusterSnapshot s = snapshot(List.of(node("ready").build(), node("false").ready("False").build(),
                node("unknown").ready("Unknown").build(), node("missing").ready(null).build()), List.of());
        Map<String, FilterStatus> result = filter(new NodeReady(), s, pod("p").build());
        assertThat(result.get("ready")).isEqualTo(FilterStatus.PASS);
        assertThat(reason(result.get("false"))).isEqualTo("node(s) had untolerated taint {node.kubernetes.io/not-ready: }");
        assertThat(reason(result.get("unknown")))
                .isEqualTo("node(s) had untolerated taint {node.kubernetes.io/unreachable: }");
        assertThat(reason(result.get("missing"))).contains("not-ready");
        Pod tolerant = pod("ds").tolerate("node.kubernetes.io/not-ready", "Exists", null, null).build();
        assertThat(passing(new NodeReady(), s, tolerant)).containsExactly("false", "missing", "ready");
    }

    @Test
    void nodeNameKeepsOnlyTheNamedNode() {
        ClusterSnapshot s = snapshot(List.of(node("a").build(), node("b").build()), List.of());
        assertThat(passing(new NodeName(), s, pod("p").build())).containsExactly("a", "b");
        assertThat(passing(new NodeName(), s, pod("p").nodeName("b").build())).containsExactly("b");
        assertThat(reason(filter(new NodeName(), s, pod("p").nodeName("b").build()).get("a")))
                .isEqualTo("node(s) didn't match the requested node name");
    }

    @Test
    void taintTolerationRejectsUntoleratedNoScheduleAndNoExecute() {
        ClusterSnapshot s = snapshot(List.of(
                node("plain").build(),
                node("virtual").taint("virtual-kubelet.io/provider", "skiff", "NoSchedule").build(),
                node("evicting").taint("maintenance", "", "NoExecute").build(),
                node("soft").taint("spot", "true", "PreferNoSchedule").build()), List.of());
        Map<String, FilterStatus> result = filter(new TaintToleration(), s, pod("p").build());
        assertThat(reason(result.get("virtual")))
                .isEqualTo("node(s) had untolerated taint {virtual-kubelet.io/provider: skiff}");
        assertThat(reason(result.get("evicting"))).isEqualTo("node(s) had untolerated taint {maintenance: }");
        assertThat(result.get("soft")).isEqualTo(FilterStatus.PASS);
        assertThat(((FilterStatus.Rejected) result.get("virtual")).unresolvable()).isTrue();

        assertThat(passing(new TaintToleration(), s, pod("p").tolerateVirtualNodes().build()))
                .containsExactly("plain", "soft", "virtual");
        assertThat(passing(new TaintToleration(), s,
                pod("p").tolerate("virtual-kubelet.io/provider", "Equal", "skiff", null).build()))
                .containsExactly("plain", "soft", "virtual");
        assertThat(passing(new TaintToleration(), s,
                pod("p").tolerate("virtual-kubelet.io/provider", "Equal", "other", null).build()))
                .containsExactly("plain", "soft");
        // An empty key with Exists tolerates every taint.
        assertThat(passing(new TaintToleration(), s, pod("p").tolerate(null, "Exists", null, null).build()))
                .containsExactly("evicting", "plain", "soft", "virtual");
    }

    @Test
    void eciVSwitchKeepsTheListedVSwitchesAndOrdinaryNodes() {
        ClusterSnapshot s = snapshot(List.of(
                TestNode.virtualNode("vk-a", "zone-a", "vsw-a").build(),
                TestNode.virtualNode("vk-b", "zone-b", "vsw-b").build(),
                node("ecs-1").build()), List.of());
        assertThat(passing(new EciVSwitch(), s, pod("p").build())).containsExactly("ecs-1", "vk-a", "vk-b");
        Pod pinned = pod("p").annotation("k8s.aliyun.com/eci-vswitch", "vsw-b").build();
        assertThat(passing(new EciVSwitch(), s, pinned)).containsExactly("ecs-1", "vk-b");
        assertThat(reason(filter(new EciVSwitch(), s, pinned).get("vk-a")))
                .isEqualTo("node(s) didn't match Pod's vSwitches (k8s.aliyun.com/eci-vswitch)");
    }

    @Test
    void nodeAffinityCombinesNodeSelectorAndRequiredTerms() {
        ClusterSnapshot s = snapshot(List.of(node("a").zone("z1").label("disk", "ssd").build(),
                node("b").zone("z2").label("disk", "ssd").build(), node("c").zone("z2").build()), List.of());
        assertThat(passing(new NodeAffinity(), s, pod("p").nodeSelector("disk", "ssd").build()))
                .containsExactly("a", "b");

        var required = new io.fabric8.kubernetes.api.model.AffinityBuilder().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNodeSelectorTerms(TestPod.nodeTerm("topology.kubernetes.io/zone", "In", "z2"),
                        TestPod.fieldTerm("In", "a"))
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
        // Terms are ORed: zone z2 or the node named a; with the nodeSelector ANDed on top.
        assertThat(passing(new NodeAffinity(), s, pod("p").affinity(required).build())).containsExactly("a", "b", "c");
        assertThat(passing(new NodeAffinity(), s, pod("p").affinity(required).nodeSelector("disk", "ssd").build()))
                .containsExactly("a", "b");
        var notIn = new io.fabric8.kubernetes.api.model.AffinityBuilder().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNodeSelectorTerms(TestPod.nodeTerm("disk", "DoesNotExist"))
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
        Map<String, FilterStatus> result = filter(new NodeAffinity(), s, pod("p").affinity(notIn).build());
        assertThat(result.get("c")).isEqualTo(FilterStatus.PASS);
        assertThat(reason(result.get("a"))).isEqualTo("node(s) didn't match Pod's node affinity/selector");
    }
}
