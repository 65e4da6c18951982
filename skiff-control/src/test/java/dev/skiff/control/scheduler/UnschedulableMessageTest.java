package dev.skiff.control.scheduler;

import dev.skiff.control.scheduler.framework.ClusterSnapshot;
import dev.skiff.control.scheduler.testing.TestNode;
import io.fabric8.kubernetes.api.model.Node;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.skiff.control.scheduler.testing.TestNode.node;
import static dev.skiff.control.scheduler.testing.TestPod.pod;
import static org.assertj.core.api.Assertions.assertThat;

class UnschedulableMessageTest {

    private final Scheduler scheduler = new Scheduler(SchedulerConfig.defaults());

    private ScheduleResult.Unschedulable unschedulable(List<Node> nodes, io.fabric8.kubernetes.api.model.Pod pod) {
        ScheduleResult result = scheduler.schedule(ClusterSnapshot.of(nodes, List.of(), Map.of()), pod);
        assertThat(result).isInstanceOf(ScheduleResult.Unschedulable.class);
        return (ScheduleResult.Unschedulable) result;
    }

    @Test
    void readsLikeUpstreamsFailedSchedulingEvent() {
        List<Node> nodes = List.of(TestNode.virtualNode("vk", "z1", "vsw-1").build(),
                node("small-1").cpu("1").build(), node("small-2").cpu("1").build());
        ScheduleResult.Unschedulable result = unschedulable(nodes, pod("big").cpu("2").build());
        assertThat(result.message()).isEqualTo("0/3 nodes are available: "
                + "1 node(s) had untolerated taint {virtual-kubelet.io/provider: skiff}, 2 Insufficient cpu. "
                + "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
                + "2 No preemption victims found for incoming pod.");
        assertThat(result.failedPlugins()).containsExactlyInAnyOrder("TaintToleration", "NodeResourcesFit");
        assertThat(result.reasonsByNode()).containsEntry("small-1", List.of("Insufficient cpu"));
    }

    @Test
    void countsEveryReasonOfANode() {
        ScheduleResult.Unschedulable result = unschedulable(List.of(node("n").cpu("1").memory("1Gi").build()),
                pod("big").cpu("2").memory("2Gi").build());
        assertThat(result.message()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. "
                + "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.");
    }

    @Test
    void sortsHistogramEntriesAsStrings() {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            nodes.add(node("small-" + i).cpu("1").build());
        }
        nodes.add(node("cordoned-1").unschedulable().build());
        nodes.add(node("cordoned-2").unschedulable().build());
        ScheduleResult.Unschedulable result = unschedulable(nodes, pod("big").cpu("2").build());
        // As upstream (sort.Strings), "10 ..." sorts before "2 ...".
        assertThat(result.message()).startsWith(
                "0/12 nodes are available: 10 Insufficient cpu, 2 node(s) were unschedulable. ");
    }

    @Test
    void noNodesAtAll() {
        assertThat(unschedulable(List.of(), pod("p").build()).message())
                .isEqualTo("no nodes available to schedule pods");
    }

    @Test
    void theFirstRejectingFilterSpeaksForANode() {
        // Cordoned and too small: NodeUnschedulable runs first, so only its reason is counted.
        ScheduleResult.Unschedulable result = unschedulable(List.of(node("n").cpu("1").unschedulable().build()),
                pod("big").cpu("2").build());
        assertThat(result.message()).startsWith("0/1 nodes are available: 1 node(s) were unschedulable. ");
    }
}
