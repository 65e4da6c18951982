package dev.skiff.control.scheduler;

import dev.skiff.control.scheduler.framework.ClusterSnapshot;
import dev.skiff.control.scheduler.testing.TestNode;
import dev.skiff.control.scheduler.testing.TestPod;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static dev.skiff.control.scheduler.testing.TestPod.pod;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code k8s.aliyun.com/eci-vswitch} with {@code eci-schedule-strategy} over three virtual nodes. */
class EciStrategyTest {

    private static final String VSWITCH = "k8s.aliyun.com/eci-vswitch";
    private static final String STRATEGY = "k8s.aliyun.com/eci-schedule-strategy";

    /** Virtual nodes vk-a/b/c for vSwitches vsw-a/b/c; vk-b has room for exactly 2 pods of 1 CPU. */
    private static ClusterSnapshot cluster() {
        List<Node> nodes = List.of(TestNode.virtualNode("vk-a", "zone-a", "vsw-a").build(),
                TestNode.virtualNode("vk-b", "zone-b", "vsw-b").cpu("2").build(),
                TestNode.virtualNode("vk-c", "zone-c", "vsw-c").build());
        return ClusterSnapshot.of(nodes, List.of(), Map.of());
    }

    private static TestPod eciPod(String name) {
        return pod(name).tolerateVirtualNodes().cpu("1");
    }

    private static List<String> placements(Scheduler scheduler, ClusterSnapshot s, List<Pod> pods) {
        return scheduler.scheduleBatch(s, pods).stream().map(Decision::nodeName).toList();
    }

    @Test
    void orderedTakesTheFirstListedVSwitchWithRoom() {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pods.add(eciPod("p" + i).annotation(VSWITCH, "vsw-b,vsw-a").annotation(STRATEGY, "VSwitchOrdered").build());
        }
        // vk-b is listed first and takes two pods; then it is full and vk-a, listed next, takes the rest.
        assertThat(placements(new Scheduler(SchedulerConfig.defaults()), cluster(), pods))
                .containsExactly("vk-b", "vk-b", "vk-a", "vk-a");
    }

    @Test
    void orderedWithoutAListUsesTheClustersVSwitchOrder() {
        Scheduler scheduler = new Scheduler(SchedulerConfig.defaults()
                .withDefaultVSwitchOrder(List.of("vsw-c", "vsw-a", "vsw-b")));
        Pod pod = eciPod("p").annotation(STRATEGY, "vSwitchOrdered").build();
        assertThat(placements(scheduler, cluster(), List.of(pod))).containsExactly("vk-c");
    }

    @Test
    void randomPicksAmongTheListedVSwitchesOnly() {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            pods.add(eciPod("p" + i).annotation(VSWITCH, "vsw-a,vsw-c").annotation(STRATEGY, "VSwitchRandom")
                    .build());
        }
        Map<String, Long> counts = placements(new Scheduler(SchedulerConfig.defaults()), cluster(), pods).stream()
                .collect(Collectors.groupingBy(n -> n, TreeMap::new, Collectors.counting()));
        assertThat(counts.keySet()).containsExactly("vk-a", "vk-c");
        // Uniform: with 200 draws each side gets far more than a handful (deterministic with the default seed).
        assertThat(counts.values()).allMatch(c -> c > 60);
    }

    @Test
    void aVSwitchListWithoutAStrategyIsRandomAsInEci() {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            pods.add(eciPod("p" + i).annotation(VSWITCH, "vsw-a,vsw-c").build());
        }
        List<String> placed = placements(new Scheduler(SchedulerConfig.defaults()), cluster(), pods);
        assertThat(placed).containsOnly("vk-a", "vk-c").contains("vk-a", "vk-c");
    }

    @Test
    void randomIsReproducibleWithASeed() {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            pods.add(eciPod("p" + i).annotation(VSWITCH, "vsw-a,vsw-b,vsw-c").annotation(STRATEGY, "VSwitchRandom")
                    .build());
        }
        SchedulerConfig config = SchedulerConfig.defaults().withRandomSeed(42);
        assertThat(placements(new Scheduler(config), cluster(), pods))
                .isEqualTo(placements(new Scheduler(config), cluster(), pods));
    }

    @Test
    void aPodWhoseVSwitchesAreAllFullIsUnschedulable() {
        ClusterSnapshot s = cluster();
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pods.add(eciPod("p" + i).annotation(VSWITCH, "vsw-b").annotation(STRATEGY, "VSwitchOrdered").build());
        }
        List<Decision> decisions = new Scheduler(SchedulerConfig.defaults()).scheduleBatch(s, pods);
        assertThat(decisions.get(2).result()).isInstanceOfSatisfying(ScheduleResult.Unschedulable.class,
                u -> assertThat(u.message()).startsWith("0/3 nodes are available: 1 Insufficient cpu, "
                        + "2 node(s) didn't match Pod's vSwitches (k8s.aliyun.com/eci-vswitch)."));
    }
}
