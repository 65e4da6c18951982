package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.ClusterSnapshot;
import dev.skiff.control.scheduler.framework.FilterStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.skiff.control.scheduler.testing.Harness.filter;
import static dev.skiff.control.scheduler.testing.Harness.passing;
import static dev.skiff.control.scheduler.testing.Harness.snapshot;
import static dev.skiff.control.scheduler.testing.TestNode.node;
import static dev.skiff.control.scheduler.testing.TestPod.pod;
import static dev.skiff.control.scheduler.testing.TestPod.selector;
import static org.assertj.core.api.Assertions.assertThat;

class PodTopologySpreadTest {

    private static final String ZONE = "topology.kubernetes.io/zone";

    /** Zone z1 (nodes a, b) holds {@code inZ1} web pods, zone z2 (node c) holds {@code inZ2}. */
    private static ClusterSnapshot zones(int inZ1, int inZ2, Pod... more) {
        List<Node> nodes = List.of(node("a").zone("z1").build(), node("b").zone("z1").build(),
                node("c").zone("z2").build());
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < inZ1; i++) {
            pods.add(pod("w1-" + i).nodeName(i % 2 == 0 ? "a" : "b").label("app", "web").build());
        }
        for (int i = 0; i < inZ2; i++) {
            pods.add(pod("w2-" + i).nodeName("c").label("app", "web").build());
        }
        pods.addAll(List.of(more));
        return snapshot(nodes, pods);
    }

    private static Pod web(int maxSkew) {
        return pod("new").label("app", "web").spread(maxSkew, ZONE, "DoNotSchedule", selector("app", "web")).build();
    }

    @ParameterizedTest(name = "z1={0} z2={1} maxSkew={2} -> {3}")
    @CsvSource({
            "0, 0, 1, a b c",
            "1, 0, 1, c",
            "1, 1, 1, a b c",
            "2, 0, 2, c",
            "2, 0, 3, a b c",
            "3, 1, 1, c"})
    void keepsTheSkewWithinMaxSkew(int inZ1, int inZ2, int maxSkew, String expected) {
        assertThat(passing(new PodTopologySpread(), zones(inZ1, inZ2), web(maxSkew)))
                .containsExactly(expected.split(" "));
    }

    @Test
    void explainsRejectionsLikeUpstream() {
        ClusterSnapshot s = zones(1, 0);
        s.upsertNode(node("d").build());
        Map<String, FilterStatus> result = filter(new PodTopologySpread(), s, web(1));
        assertThat(result.get("a")).isEqualTo(
                FilterStatus.unschedulable("node(s) didn't match pod topology spread constraints"));
        assertThat(result.get("d")).isEqualTo(FilterStatus.unresolvable(
                "node(s) didn't match pod topology spread constraints (missing required label)"));
    }

    @Test
    void aPodNotMatchingItsOwnSelectorDoesNotCountItself() {
        Pod other = pod("new").label("app", "other").spread(1, ZONE, "DoNotSchedule", selector("app", "web")).build();
        assertThat(passing(new PodTopologySpread(), zones(1, 0), other)).containsExactly("a", "b", "c");
    }

    @Test
    void terminatingAndOtherNamespacePodsAreNotCounted() {
        Pod leaving = pod("old").nodeName("a").label("app", "web").terminating().build();
        Pod elsewhere = pod("x").namespace("other").nodeName("a").label("app", "web").build();
        assertThat(passing(new PodTopologySpread(), zones(0, 0, leaving, elsewhere), web(1)))
                .containsExactly("a", "b", "c");
    }

    @Test
    void minDomainsTreatsTheMinimumAsZeroWhileDomainsAreMissing() {
        // z1 has 1 pod, z2 has 1: without minDomains any zone fits; with minDomains 3 (only 2 zones exist), the
        // global minimum is 0 and a zone already holding maxSkew pods is full.
        TopologySpreadConstraint c = new TopologySpreadConstraint();
        c.setMaxSkew(1);
        c.setTopologyKey(ZONE);
        c.setWhenUnsatisfiable("DoNotSchedule");
        c.setLabelSelector(selector("app", "web"));
        c.setMinDomains(3);
        Pod pod = pod("new").label("app", "web").spread(c).build();
        assertThat(passing(new PodTopologySpread(), zones(1, 1), pod)).isEmpty();
        assertThat(passing(new PodTopologySpread(), zones(0, 0), pod)).containsExactly("a", "b", "c");
    }

    @Test
    void nodeAffinityPolicyHonorLeavesExcludedNodesOutOfTheDomains() {
        // z2 is excluded by the pod's nodeSelector: only z1 forms a domain, so its pods do not make z1 "too full".
        Pod pod = pod("new").label("app", "web").nodeSelector(ZONE, "z1")
                .spread(1, ZONE, "DoNotSchedule", selector("app", "web")).build();
        assertThat(passing(new PodTopologySpread(), zones(3, 0), pod)).containsExactly("a", "b", "c");
        TopologySpreadConstraint ignore = new TopologySpreadConstraint();
        ignore.setMaxSkew(1);
        ignore.setTopologyKey(ZONE);
        ignore.setWhenUnsatisfiable("DoNotSchedule");
        ignore.setLabelSelector(selector("app", "web"));
        ignore.setNodeAffinityPolicy("Ignore");
        Pod ignoring = pod("new").label("app", "web").nodeSelector(ZONE, "z1").spread(ignore).build();
        assertThat(passing(new PodTopologySpread(), zones(3, 0), ignoring)).containsExactly("c");
    }

    @Test
    void matchLabelKeysNarrowTheSelectorToThePodsValues() {
        Pod oldRevision = pod("old").nodeName("a").label("app", "web").label("rev", "1").build();
        TopologySpreadConstraint c = new TopologySpreadConstraint();
        c.setMaxSkew(1);
        c.setTopologyKey(ZONE);
        c.setWhenUnsatisfiable("DoNotSchedule");
        c.setLabelSelector(selector("app", "web"));
        c.setMatchLabelKeys(List.of("rev"));
        Pod newRevision = pod("new").label("app", "web").label("rev", "2").spread(c).build();
        assertThat(passing(new PodTopologySpread(), zones(0, 0, oldRevision), newRevision))
                .containsExactly("a", "b", "c");
    }

    @Test
    void scheduleAnywayConstraintsDoNotFilter() {
        Pod pod = pod("new").label("app", "web").spread(1, ZONE, "ScheduleAnyway", selector("app", "web")).build();
        assertThat(passing(new PodTopologySpread(), zones(5, 0), pod)).containsExactly("a", "b", "c");
    }
}
