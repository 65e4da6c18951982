package dev.skiff.control.scheduler;

import dev.skiff.control.scheduler.framework.ClusterSnapshot;
import dev.skiff.control.scheduler.testing.TestNode;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.skiff.control.scheduler.testing.TestPod.pod;
import static dev.skiff.control.scheduler.testing.TestPod.selector;
import static dev.skiff.control.scheduler.testing.TestPod.term;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 50,000 replicas of one workload over four virtual nodes in one batch. Not a speed measurement: the timeout only
 * guards against pathological (pods x pods) behaviour, which would take far longer than a minute.
 */
class BatchScaleTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void fiftyThousandPodsOverFourVirtualNodes() {
        List<Node> nodes = List.of(TestNode.virtualNode("vk-a1", "zone-a", "vsw-a1").build(),
                TestNode.virtualNode("vk-a2", "zone-a", "vsw-a2").build(),
                TestNode.virtualNode("vk-b1", "zone-b", "vsw-b1").build(),
                TestNode.virtualNode("vk-b2", "zone-b", "vsw-b2").build());
        // Spread over zones (hard) and prefer different hosts (soft): both go through the snapshot's indexes.
        var preferApart = new AffinityBuilder().withNewPodAntiAffinity()
                .withPreferredDuringSchedulingIgnoredDuringExecution(
                        new WeightedPodAffinityTerm(term("kubernetes.io/hostname", selector("app", "web")), 100))
                .endPodAntiAffinity().build();
        List<Pod> batch = new ArrayList<>(50_000);
        for (int i = 0; i < 50_000; i++) {
            batch.add(pod("web-" + i).label("app", "web").tolerateVirtualNodes().cpu("250m").memory("512Mi")
                    .spread(1, "topology.kubernetes.io/zone", "DoNotSchedule", selector("app", "web"))
                    .affinity(preferApart).build());
        }
        ClusterSnapshot snapshot = ClusterSnapshot.of(nodes, List.of(), Map.of());

        List<Decision> decisions = new Scheduler(SchedulerConfig.defaults()).scheduleBatch(snapshot, batch);

        Map<String, Long> byNode = decisions.stream().filter(Decision::scheduled)
                .collect(Collectors.groupingBy(Decision::nodeName, TreeMap::new, Collectors.counting()));
        assertThat(byNode.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(50_000);
        assertThat(byNode.get("vk-a1") + byNode.get("vk-a2")).isEqualTo(25_000);
        assertThat(byNode.get("vk-b1") + byNode.get("vk-b2")).isEqualTo(25_000);
        // The soft anti-affinity spreads hosts evenly too.
        assertThat(byNode.values()).allSatisfy(n -> assertThat(n).isBetween(12_000L, 13_000L));
        assertThat(snapshot.podCount()).isEqualTo(50_000);
    }
}
