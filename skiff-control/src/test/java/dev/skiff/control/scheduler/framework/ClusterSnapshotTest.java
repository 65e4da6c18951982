package dev.skiff.control.scheduler.framework;

import dev.skiff.control.scheduler.model.AffinityTerm;
import dev.skiff.control.scheduler.model.PodClause;
import dev.skiff.control.scheduler.model.Selector;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.skiff.control.scheduler.testing.TestNode.node;
import static dev.skiff.control.scheduler.testing.TestPod.pod;
import static dev.skiff.control.scheduler.testing.TestPod.selector;
import static dev.skiff.control.scheduler.testing.TestPod.term;
import static org.assertj.core.api.Assertions.assertThat;

class ClusterSnapshotTest {

    private static final PodMatcher WEB = PodMatcher.of(
            PodClause.inNamespace("default", Selector.ofLabels(Map.of("app", "web"))), true);

    private static Pod web(String name, String node) {
        return pod(name).nodeName(node).label("app", "web").cpu("1").build();
    }

    /** The counts a snapshot built from scratch with the same content gives. */
    private static int[] fresh(List<Node> nodes, List<Pod> pods, PodMatcher matcher) {
        return ClusterSnapshot.of(nodes, pods, Map.of()).countMatching(matcher);
    }

    @Test
    void theMatchIndexFollowsPodChanges() {
        List<Node> nodes = List.of(node("a").build(), node("b").build());
        List<Pod> pods = new ArrayList<>(List.of(web("w1", "a"), web("w2", "b"), pod("db").nodeName("a").build()));
        ClusterSnapshot s = ClusterSnapshot.of(nodes, pods, Map.of());
        assertThat(s.countMatching(WEB)).containsExactly(1, 1);

        Pod w3 = web("w3", "b");
        s.upsertPod(w3);
        pods.add(w3);
        s.assume(PodInfo.of(pod("w4").label("app", "web").cpu("1").build()), "b");
        pods.add(web("w4", "b"));
        s.removePod("default", "w1");
        pods.removeIf(p -> p.getMetadata().getName().equals("w1"));
        // A pod moving to terminating stops counting for spreading.
        Pod w2Leaving = pod("w2").nodeName("b").label("app", "web").cpu("1").terminating().build();
        s.upsertPod(w2Leaving);
        pods.replaceAll(p -> p.getMetadata().getName().equals("w2") ? w2Leaving : p);

        assertThat(s.countMatching(WEB)).containsExactly(0, 2).isEqualTo(fresh(nodes, pods, WEB));
        assertThat(s.node("b").requestedMilliCpu()).isEqualTo(3000);
    }

    @Test
    void podsOnUnknownNodesCountOnceTheNodeAppears() {
        ClusterSnapshot s = ClusterSnapshot.of(List.of(node("b").build()), List.of(web("w1", "a")), Map.of());
        assertThat(s.countMatching(WEB)).containsExactly(0);
        s.upsertNode(node("a").build());
        assertThat(s.nodes()).extracting(NodeInfo::name).containsExactly("a", "b");
        assertThat(s.countMatching(WEB)).containsExactly(1, 0);
        assertThat(s.node("a").podCount()).isEqualTo(1);
        s.removeNode("a");
        assertThat(s.countMatching(WEB)).containsExactly(0);
        assertThat(s.podCount()).isEqualTo(1);
    }

    @Test
    void updatingANodeKeepsItsPods() {
        ClusterSnapshot s = ClusterSnapshot.of(List.of(node("a").zone("z1").build()), List.of(web("w1", "a")),
                Map.of());
        s.countMatching(WEB);
        s.upsertNode(node("a").zone("z2").build());
        assertThat(s.node("a").labels()).containsEntry("topology.kubernetes.io/zone", "z2");
        assertThat(s.node("a").podCount()).isEqualTo(1);
        assertThat(s.countMatching(WEB)).containsExactly(1);
    }

    @Test
    void finishedAndUnassignedPodsAreNotKept() {
        ClusterSnapshot s = ClusterSnapshot.of(List.of(node("a").build()), List.of(web("w1", "a"),
                pod("pending").build()), Map.of());
        assertThat(s.podCount()).isEqualTo(1);
        Pod done = web("w1", "a");
        done.setStatus(new PodStatusBuilder().withPhase("Succeeded").build());
        s.upsertPod(done);
        assertThat(s.podCount()).isZero();
        assertThat(s.node("a").requestedMilliCpu()).isZero();
    }

    @Test
    void namespaceLabelChangesReachNamespaceSelectors() {
        PodMatcher teamX = PodMatcher.of(new PodClause(Set.of(), Selector.ofLabels(Map.of("team", "x")),
                Selector.EVERYTHING), false);
        ClusterSnapshot s = ClusterSnapshot.of(List.of(node("a").build()),
                List.of(pod("p").namespace("shop").nodeName("a").build()), Map.of("shop", Map.of()));
        assertThat(s.countMatching(teamX)).containsExactly(0);
        s.putNamespace("shop", Map.of("team", "x"));
        assertThat(s.countMatching(teamX)).containsExactly(1);
    }

    @Test
    void heldTermsAreCountedPerDistinctTermAndDropWithTheirLastHolder() {
        var anti = new AffinityBuilder().withNewPodAntiAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(
                term("kubernetes.io/hostname", selector("app", "db"))).endPodAntiAffinity().build();
        ClusterSnapshot s = ClusterSnapshot.of(List.of(node("a").build(), node("b").build()), List.of(
                pod("db-0").nodeName("a").label("app", "db").affinity(anti).build(),
                pod("db-1").nodeName("b").label("app", "db").affinity(anti).build(),
                pod("db-2").nodeName("b").label("app", "db").affinity(anti).build()), Map.of());
        Map<HeldTerm, int[]> held = s.heldTerms(HeldTerm.Kind.REQUIRED_ANTI_AFFINITY);
        assertThat(held).hasSize(1);
        HeldTerm only = held.keySet().iterator().next();
        assertThat(only.term()).isEqualTo(AffinityTerm.of(term("kubernetes.io/hostname", selector("app", "db")),
                "default", Map.of()));
        assertThat(held.get(only)).containsExactly(1, 2);
        s.removePod("default", "db-0");
        s.removePod("default", "db-1");
        s.removePod("default", "db-2");
        assertThat(s.heldTerms(HeldTerm.Kind.REQUIRED_ANTI_AFFINITY)).isEmpty();
    }

    @Test
    void theMatchIndexIsBounded() {
        ClusterSnapshot s = ClusterSnapshot.of(List.of(node("a").build()), List.of(web("w", "a")), Map.of());
        for (int i = 0; i < ClusterSnapshot.MAX_INDEXED_MATCHERS + 10; i++) {
            s.countMatching(PodMatcher.of(PodClause.inNamespace("default",
                    Selector.ofLabels(Map.of("app", "v" + i))), true));
        }
        assertThat(s.indexedMatchers()).isEqualTo(ClusterSnapshot.MAX_INDEXED_MATCHERS);
        assertThat(s.countMatching(WEB)).containsExactly(1);
    }
}
