package dev.skiff.control.scheduler;

import dev.skiff.control.scheduler.framework.ClusterSnapshot;
import dev.skiff.control.scheduler.testing.TestNode;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSchedulingGate;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static dev.skiff.control.scheduler.testing.TestNode.node;
import static dev.skiff.control.scheduler.testing.TestPod.pod;
import static dev.skiff.control.scheduler.testing.TestPod.selector;
import static dev.skiff.control.scheduler.testing.TestPod.term;
import static org.assertj.core.api.Assertions.assertThat;

class SchedulerTest {

    private static final String ZONE = "topology.kubernetes.io/zone";

    private static ClusterSnapshot snapshot(List<Node> nodes, List<Pod> pods) {
        return ClusterSnapshot.of(nodes, pods, Map.of());
    }

    private static Map<String, Long> countByNode(List<Decision> decisions) {
        return decisions.stream().filter(Decision::scheduled)
                .collect(Collectors.groupingBy(Decision::nodeName, TreeMap::new, Collectors.counting()));
    }

    private static List<Pod> pods(int n, String prefix, java.util.function.IntFunction<Pod> make) {
        List<Pod> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(make.apply(i));
        }
        return out;
    }

    @Test
    void picksTheBestScoredNodeAndReportsScores() {
        ClusterSnapshot s = snapshot(List.of(node("busy").build(), node("free").build()),
                List.of(pod("load").nodeName("busy").cpu("3").memory("12Gi").build()));
        ScheduleResult result = new Scheduler(SchedulerConfig.defaults()).schedule(s, pod("p").cpu("1").build());
        assertThat(result).isInstanceOf(ScheduleResult.Scheduled.class);
        ScheduleResult.Scheduled scheduled = (ScheduleResult.Scheduled) result;
        assertThat(scheduled.nodeName()).isEqualTo("free");
        assertThat(scheduled.feasibleNodes()).isEqualTo(2);
        assertThat(scheduled.scores()).extracting(ScheduleResult.NodeScore::node).containsExactly("free", "busy");
        assertThat(scheduled.scores().getFirst().byPlugin()).containsKeys("NodeResourcesFit", "TaintToleration");
        // Scheduling one pod leaves the snapshot untouched.
        assertThat(s.podCount()).isEqualTo(1);
    }

    @Test
    void aSingleFeasibleNodeIsChosenWithoutScoring() {
        ClusterSnapshot s = snapshot(List.of(node("a").build(), node("b").unschedulable().build()), List.of());
        ScheduleResult result = new Scheduler(SchedulerConfig.defaults()).schedule(s, pod("p").build());
        assertThat(result).isEqualTo(new ScheduleResult.Scheduled("a", List.of(), 1));
    }

    @Test
    void aBatchSeesItsOwnEarlierDecisions() {
        ClusterSnapshot s = snapshot(List.of(node("n").cpu("4").build()), List.of());
        List<Decision> decisions = new Scheduler(SchedulerConfig.defaults())
                .scheduleBatch(s, pods(6, "p", i -> pod("p" + i).cpu("1").build()));
        assertThat(decisions).extracting(Decision::scheduled).containsExactly(true, true, true, true, false, false);
        assertThat(((ScheduleResult.Unschedulable) decisions.get(4).result()).message())
                .startsWith("0/1 nodes are available: 1 Insufficient cpu.");
        assertThat(s.node("n").requestedMilliCpu()).isEqualTo(4000);

        // The binding of p0 is observed: the assumed copy is replaced, nothing is counted twice.
        s.upsertPod(pod("p0").cpu("1").nodeName("n").build());
        assertThat(s.node("n").podCount()).isEqualTo(4);
        // p1's binding failed: forgetting it frees its CPU.
        s.removePod("default", "p1");
        assertThat(s.node("n").requestedMilliCpu()).isEqualTo(3000);
    }

    @Test
    void batchSpreadsOneThousandPodsEvenlyOverTwoZones() {
        List<Node> nodes = List.of(TestNode.virtualNode("vk-a", "zone-a", "vsw-a").build(),
                TestNode.virtualNode("vk-b", "zone-b", "vsw-b").build());
        List<Pod> batch = pods(1000, "web", i -> pod("web-" + i).label("app", "web").tolerateVirtualNodes()
                .cpu("250m").memory("512Mi").spread(1, ZONE, "DoNotSchedule", selector("app", "web")).build());
        List<Decision> decisions = new Scheduler(SchedulerConfig.defaults()).scheduleBatch(snapshot(nodes, List.of()),
                batch);
        assertThat(countByNode(decisions)).isEqualTo(Map.of("vk-a", 500L, "vk-b", 500L));
    }

    @Test
    void scheduleAnywaySpreadingBalancesZonesRatherThanNodes() {
        // Zone za has two nodes, zb one. Without a constraint, LeastAllocated spreads per node: za gets 2/3.
        List<Node> nodes = List.of(node("a1").zone("za").cpu("1000").memory("1Ti").pods(5000).build(),
                node("a2").zone("za").cpu("1000").memory("1Ti").pods(5000).build(),
                node("b1").zone("zb").cpu("1000").memory("1Ti").pods(5000).build());
        List<Pod> spread = pods(600, "w", i -> pod("w-" + i).label("app", "web").cpu("100m")
                .spread(1, ZONE, "ScheduleAnyway", selector("app", "web")).build());
        List<Pod> plain = pods(600, "w", i -> pod("w-" + i).label("app", "web").cpu("100m").build());

        long[] withSpread = zones(new Scheduler(SchedulerConfig.defaults())
                .scheduleBatch(snapshot(nodes, List.of()), spread));
        long[] without = zones(new Scheduler(SchedulerConfig.defaults())
                .scheduleBatch(snapshot(nodes, List.of()), plain));
        assertThat(without[0]).isEqualTo(400);
        assertThat(withSpread[0] + withSpread[1]).isEqualTo(600);
        // A preference, not a guarantee: the resource scores still pull slightly towards the zone with more nodes,
        // as upstream; the zones stay within 2%.
        assertThat(Math.abs(withSpread[0] - withSpread[1])).isLessThanOrEqualTo(12);
    }

    private static long[] zones(List<Decision> decisions) {
        Map<String, Long> byNode = countByNode(decisions);
        return new long[]{byNode.getOrDefault("a1", 0L) + byNode.getOrDefault("a2", 0L),
                byNode.getOrDefault("b1", 0L)};
    }

    @Test
    void requiredAntiAffinityPlacesOneReplicaPerHost() {
        List<Node> nodes = List.of(node("n1").build(), node("n2").build(), node("n3").build(), node("n4").build());
        var anti = new AffinityBuilder().withNewPodAntiAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(
                term("kubernetes.io/hostname", selector("app", "db"))).endPodAntiAffinity().build();
        List<Decision> decisions = new Scheduler(SchedulerConfig.defaults()).scheduleBatch(snapshot(nodes, List.of()),
                pods(6, "db", i -> pod("db-" + i).label("app", "db").affinity(anti).build()));
        assertThat(countByNode(decisions)).isEqualTo(Map.of("n1", 1L, "n2", 1L, "n3", 1L, "n4", 1L));
        assertThat(((ScheduleResult.Unschedulable) decisions.get(5).result()).message())
                .startsWith("0/4 nodes are available: 4 node(s) didn't match pod anti-affinity rules.");
    }

    @Test
    void theSameSeedGivesTheSameDecisions() {
        List<Node> nodes = List.of(node("a").build(), node("b").build(), node("c").build());
        List<Pod> batch = pods(50, "p", i -> pod("p" + i).build());
        List<String> first = new Scheduler(SchedulerConfig.defaults().withRandomSeed(7))
                .scheduleBatch(snapshot(nodes, List.of()), batch).stream().map(Decision::nodeName).toList();
        List<String> again = new Scheduler(SchedulerConfig.defaults().withRandomSeed(7))
                .scheduleBatch(snapshot(nodes, List.of()), batch).stream().map(Decision::nodeName).toList();
        assertThat(again).isEqualTo(first);
    }

    @Test
    void schedulerNamesDecideWhichPodsAreOurs() {
        SchedulerNames names = SchedulerNames.of("skiff-scheduler");
        assertThat(names.isOurs(pod("p").build())).isTrue();
        assertThat(names.isOurs(pod("p").schedulerName("default-scheduler").build())).isTrue();
        assertThat(names.isOurs(pod("p").schedulerName("skiff-scheduler").build())).isTrue();
        assertThat(names.isOurs(pod("p").schedulerName("volcano").build())).isFalse();
        assertThat(SchedulerNames.of(null).isOurs(pod("p").schedulerName("skiff-scheduler").build())).isFalse();

        Scheduler scheduler = new Scheduler(SchedulerConfig.defaults().withNames(names));
        assertThat(scheduler.needsScheduling(pod("p").build())).isTrue();
        assertThat(scheduler.needsScheduling(pod("p").nodeName("n").build())).isFalse();
        assertThat(scheduler.needsScheduling(pod("p").terminating().build())).isFalse();
        assertThat(scheduler.needsScheduling(pod("p").schedulerName("volcano").build())).isFalse();
        Pod gated = pod("p").build();
        gated.getSpec().setSchedulingGates(List.of(new PodSchedulingGate("wait-for-quota")));
        assertThat(scheduler.needsScheduling(gated)).isFalse();
        Pod done = pod("p").build();
        done.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Succeeded").build());
        assertThat(scheduler.needsScheduling(done)).isFalse();
    }
}
