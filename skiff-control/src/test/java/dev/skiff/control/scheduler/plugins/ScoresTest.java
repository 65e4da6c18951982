package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.ClusterSnapshot;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.skiff.control.scheduler.testing.Harness.scores;
import static dev.skiff.control.scheduler.testing.Harness.snapshot;
import static dev.skiff.control.scheduler.testing.TestNode.node;
import static dev.skiff.control.scheduler.testing.TestPod.nodeTerm;
import static dev.skiff.control.scheduler.testing.TestPod.pod;
import static dev.skiff.control.scheduler.testing.TestPod.selector;
import static dev.skiff.control.scheduler.testing.TestPod.term;
import static org.assertj.core.api.Assertions.assertThat;

/** Every score plugin's normalized output over small snapshots, computed by hand from upstream's formulas. */
class ScoresTest {

    private static final String ZONE = "topology.kubernetes.io/zone";

    @Test
    void nodeAffinitySumsMatchingPreferenceWeightsScaledToTheBest() {
        ClusterSnapshot s = snapshot(List.of(node("a").label("disk", "ssd").label("gpu", "yes").build(),
                node("b").label("disk", "ssd").build(), node("c").build()), List.of());
        Pod pod = pod("p").affinity(new AffinityBuilder().withNewNodeAffinity()
                .withPreferredDuringSchedulingIgnoredDuringExecution(
                        new PreferredSchedulingTerm(nodeTerm("disk", "In", "ssd"), 20),
                        new PreferredSchedulingTerm(nodeTerm("gpu", "Exists"), 30))
                .endNodeAffinity().build()).build();
        assertThat(scores(new NodeAffinityScore(), s, pod)).isEqualTo(Map.of("a", 100L, "b", 40L, "c", 0L));
        assertThat(scores(new NodeAffinityScore(), s, pod("plain").build())).isNull();
    }

    @Test
    void taintTolerationPrefersFewerIntolerablePreferNoScheduleTaints() {
        ClusterSnapshot s = snapshot(List.of(node("a").build(),
                node("b").taint("spot", "true", "PreferNoSchedule").build(),
                node("c").taint("spot", "true", "PreferNoSchedule").taint("old", "", "PreferNoSchedule")
                        .taint("hard", "", "NoSchedule").build()), List.of());
        assertThat(scores(new TaintTolerationScore(), s, pod("p").build()))
                .isEqualTo(Map.of("a", 100L, "b", 50L, "c", 0L));
        Pod spotOk = pod("p").tolerate("spot", "Exists", null, "PreferNoSchedule").build();
        assertThat(scores(new TaintTolerationScore(), s, spotOk)).isEqualTo(Map.of("a", 100L, "b", 100L, "c", 0L));
        // A toleration limited to NoSchedule does not count for preferences.
        Pod noScheduleOnly = pod("p").tolerate("spot", "Exists", null, "NoSchedule").build();
        assertThat(scores(new TaintTolerationScore(), s, noScheduleOnly).get("b")).isEqualTo(50L);
    }

    @Test
    void leastAllocatedPrefersFreeNodesCountingDefaultsForMissingRequests() {
        ClusterSnapshot s = snapshot(List.of(node("a").build(), node("b").build()),
                List.of(pod("used").nodeName("b").cpu("2").memory("8Gi").build()));
        // a: cpu (4000-1000)/4000 = 75, memory (16-4)/16 = 75; b: (4000-3000)/4000 = 25, (16-12)/16 = 25.
        assertThat(scores(new LeastAllocatedScore(), s, pod("p").cpu("1").memory("4Gi").build()))
                .isEqualTo(Map.of("a", 75L, "b", 25L));
        // A best-effort pod counts as 100m / 200Mi: cpu 3900*100/4000 = 97, memory 16184Mi/16384Mi = 98 -> 97.
        assertThat(scores(new LeastAllocatedScore(), s, pod("p").build()).get("a")).isEqualTo(97L);
        assertThat(LeastAllocatedScore.leastRequested(5, 4)).isZero();
        assertThat(LeastAllocatedScore.leastRequested(0, Long.MAX_VALUE)).isEqualTo(100);
    }

    @Test
    void balancedAllocationPrefersEvenCpuAndMemoryUse() {
        ClusterSnapshot s = snapshot(List.of(node("a").build(), node("b").build(), node("c").build()),
                List.of(pod("even").nodeName("b").cpu("2").memory("8Gi").build(),
                        pod("cpu-heavy").nodeName("c").cpu("2").build()));
        // a: .25/.25 -> 100; b: .75/.75 -> 100; c: cpu .75, memory .25 -> (1 - .25) * 100 = 75.
        assertThat(scores(new BalancedAllocationScore(), s, pod("p").cpu("1").memory("4Gi").build()))
                .isEqualTo(Map.of("a", 100L, "b", 100L, "c", 75L));
        assertThat(scores(new BalancedAllocationScore(), s, pod("best-effort").build())).isNull();
    }

    @Test
    void topologySpreadScorePrefersEmptierDomains() {
        List<Node> nodes = List.of(node("a").zone("z1").build(), node("b").zone("z1").build(),
                node("c").zone("z2").build(), node("d").build());
        List<Pod> pods = List.of(pod("w1").nodeName("a").label("app", "web").build(),
                pod("w2").nodeName("a").label("app", "web").build());
        ClusterSnapshot s = snapshot(nodes, pods);
        // Zones: 2 domains, weight ln(4); z1 raw 2 x 1.386 = 2.77 -> 3, z2 0; inverted: z1 0, z2 100; d ignored.
        Pod byZone = pod("p").label("app", "web").spread(1, ZONE, "ScheduleAnyway", selector("app", "web")).build();
        assertThat(scores(new PodTopologySpreadScore(), s, byZone))
                .isEqualTo(Map.of("a", 0L, "b", 0L, "c", 100L, "d", 0L));
        // Hostnames: a holds 2 -> raw 2 x ln(6) = 3.58 -> 4, others 0 -> a 0, b and c 100 (d has a hostname too).
        Pod byHost = pod("p").label("app", "web")
                .spread(1, "kubernetes.io/hostname", "ScheduleAnyway", selector("app", "web")).build();
        assertThat(scores(new PodTopologySpreadScore(), s, byHost))
                .isEqualTo(Map.of("a", 0L, "b", 100L, "c", 100L, "d", 100L));
        Pod hard = pod("p").label("app", "web").spread(1, ZONE, "DoNotSchedule", selector("app", "web")).build();
        assertThat(scores(new PodTopologySpreadScore(), s, hard)).isNull();
    }

    @Test
    void interPodAffinityScoresPreferencesBothWays() {
        List<Node> nodes = List.of(node("a").zone("z1").build(), node("b").zone("z1").build(),
                node("c").zone("z2").build());
        Pod db = pod("db").nodeName("a").label("app", "db").build();
        ClusterSnapshot s = snapshot(nodes, List.of(db));

        Pod likesDb = pod("p").affinity(new AffinityBuilder().withNewPodAffinity()
                .withPreferredDuringSchedulingIgnoredDuringExecution(
                        new WeightedPodAffinityTerm(term(ZONE, selector("app", "db")), 10))
                .endPodAffinity().build()).build();
        assertThat(scores(new InterPodAffinityScore(), s, likesDb)).isEqualTo(Map.of("a", 100L, "b", 100L, "c", 0L));

        Pod avoidsDb = pod("p").affinity(new AffinityBuilder().withNewPodAntiAffinity()
                .withPreferredDuringSchedulingIgnoredDuringExecution(
                        new WeightedPodAffinityTerm(term(ZONE, selector("app", "db")), 10))
                .endPodAntiAffinity().build()).build();
        assertThat(scores(new InterPodAffinityScore(), s, avoidsDb)).isEqualTo(Map.of("a", 0L, "b", 0L, "c", 100L));

        assertThat(scores(new InterPodAffinityScore(), s, pod("plain").build())).isNull();
    }

    @Test
    void existingPodsTermsScoreTheIncomingPod() {
        List<Node> nodes = List.of(node("a").zone("z1").build(), node("b").zone("z1").build(),
                node("c").zone("z2").build());
        Pod shy = pod("shy").nodeName("c").affinity(new AffinityBuilder().withNewPodAntiAffinity()
                .withPreferredDuringSchedulingIgnoredDuringExecution(
                        new WeightedPodAffinityTerm(term(ZONE, selector("app", "web")), 50))
                .endPodAntiAffinity().build()).build();
        Pod web = pod("web").label("app", "web").build();
        assertThat(scores(new InterPodAffinityScore(), snapshot(nodes, List.of(shy)), web))
                .isEqualTo(Map.of("a", 100L, "b", 100L, "c", 0L));

        Pod friend = pod("friend").nodeName("b").affinity(new AffinityBuilder().withNewPodAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(term(ZONE, selector("app", "web")))
                .endPodAffinity().build()).build();
        assertThat(scores(new InterPodAffinityScore(), snapshot(nodes, List.of(friend)), web))
                .isEqualTo(Map.of("a", 100L, "b", 100L, "c", 0L));
        // A pod the existing terms do not select scores nothing.
        assertThat(scores(new InterPodAffinityScore(), snapshot(nodes, List.of(friend)), pod("api").build()))
                .isNull();
    }
}
