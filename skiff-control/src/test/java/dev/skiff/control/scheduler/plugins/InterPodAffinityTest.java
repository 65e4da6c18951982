package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.ClusterSnapshot;
import dev.skiff.control.scheduler.framework.FilterStatus;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.skiff.control.scheduler.testing.Harness.filter;
import static dev.skiff.control.scheduler.testing.Harness.passing;
import static dev.skiff.control.scheduler.testing.Harness.reason;
import static dev.skiff.control.scheduler.testing.TestNode.node;
import static dev.skiff.control.scheduler.testing.TestPod.pod;
import static dev.skiff.control.scheduler.testing.TestPod.selector;
import static dev.skiff.control.scheduler.testing.TestPod.term;
import static org.assertj.core.api.Assertions.assertThat;

class InterPodAffinityTest {

    private static final String ZONE = "topology.kubernetes.io/zone";
    private static final String HOST = "kubernetes.io/hostname";

    /** Nodes a and b in zone z1, c in z2, d without a zone; a database pod on a. */
    private static ClusterSnapshot snapshot(Pod... more) {
        List<Node> nodes = List.of(node("a").zone("z1").build(), node("b").zone("z1").build(),
                node("c").zone("z2").build(), node("d").build());
        List<Pod> pods = new ArrayList<>(List.of(pod("db").nodeName("a").label("app", "db").build()));
        pods.addAll(List.of(more));
        return ClusterSnapshot.of(nodes, pods, Map.of("other", Map.of("team", "x")));
    }

    private static Affinity affinity(PodAffinityTerm term) {
        return new AffinityBuilder().withNewPodAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(term)
                .endPodAffinity().build();
    }

    private static Affinity antiAffinity(PodAffinityTerm term) {
        return new AffinityBuilder().withNewPodAntiAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(term).endPodAntiAffinity().build();
    }

    @Test
    void affinityNeedsAMatchingPodInTheNodesDomain() {
        Pod web = pod("web").affinity(affinity(term(ZONE, selector("app", "db")))).build();
        Map<String, FilterStatus> result = filter(new InterPodAffinity(), snapshot(), web);
        assertThat(passing(new InterPodAffinity(), snapshot(), web)).containsExactly("a", "b");
        assertThat(result.get("c")).isEqualTo(FilterStatus.unresolvable("node(s) didn't match pod affinity rules"));
        assertThat(reason(result.get("d"))).isEqualTo("node(s) didn't match pod affinity rules");

        Pod sameHost = pod("web").affinity(affinity(term(HOST, selector("app", "db")))).build();
        assertThat(passing(new InterPodAffinity(), snapshot(), sameHost)).containsExactly("a");
    }

    @Test
    void theFirstPodOfASelfAffineGroupGoesAnywhereWithTheKey() {
        PodAffinityTerm cache = term(ZONE, selector("app", "cache"));
        Pod first = pod("cache-0").label("app", "cache").affinity(affinity(cache)).build();
        assertThat(passing(new InterPodAffinity(), snapshot(), first)).containsExactly("a", "b", "c");
        Pod stranger = pod("web").label("app", "web").affinity(affinity(cache)).build();
        assertThat(passing(new InterPodAffinity(), snapshot(), stranger)).isEmpty();
        // Once one exists, the next one must join its zone.
        Pod placed = pod("cache-0").nodeName("c").label("app", "cache").affinity(affinity(cache)).build();
        Pod second = pod("cache-1").label("app", "cache").affinity(affinity(cache)).build();
        assertThat(passing(new InterPodAffinity(), snapshot(placed), second)).containsExactly("c");
    }

    @Test
    void antiAffinityAvoidsDomainsWithMatchingPods() {
        Pod web = pod("web").affinity(antiAffinity(term(ZONE, selector("app", "db")))).build();
        Map<String, FilterStatus> result = filter(new InterPodAffinity(), snapshot(), web);
        assertThat(passing(new InterPodAffinity(), snapshot(), web)).containsExactly("c", "d");
        assertThat(result.get("a")).isEqualTo(FilterStatus.unschedulable("node(s) didn't match pod anti-affinity rules"));
    }

    @Test
    void existingPodsAntiAffinityIsSymmetric() {
        Pod loner = pod("loner").nodeName("b").label("app", "loner")
                .affinity(antiAffinity(term(ZONE, selector("app", "web")))).build();
        Pod web = pod("web").label("app", "web").build();
        Map<String, FilterStatus> result = filter(new InterPodAffinity(), snapshot(loner), web);
        assertThat(passing(new InterPodAffinity(), snapshot(loner), web)).containsExactly("c", "d");
        assertThat(reason(result.get("a"))).isEqualTo("node(s) didn't satisfy existing pods anti-affinity rules");
        assertThat(passing(new InterPodAffinity(), snapshot(loner), pod("other").label("app", "api").build()))
                .containsExactly("a", "b", "c", "d");
    }

    @Test
    void termsLookInTheOwnersNamespaceUnlessToldOtherwise() {
        Pod foreignDb = pod("db2").namespace("other").nodeName("c").label("app", "db2").build();
        PodAffinityTerm sameNamespace = term(ZONE, selector("app", "db2"));
        assertThat(passing(new InterPodAffinity(), snapshot(foreignDb),
                pod("web").affinity(affinity(sameNamespace)).build())).isEmpty();

        PodAffinityTerm listed = term(ZONE, selector("app", "db2"));
        listed.setNamespaces(List.of("other"));
        assertThat(passing(new InterPodAffinity(), snapshot(foreignDb), pod("web").affinity(affinity(listed)).build()))
                .containsExactly("c");

        PodAffinityTerm bySelector = term(ZONE, selector("app", "db2"));
        bySelector.setNamespaceSelector(selector("team", "x"));
        assertThat(passing(new InterPodAffinity(), snapshot(foreignDb),
                pod("web").affinity(affinity(bySelector)).build())).containsExactly("c");

        PodAffinityTerm allNamespaces = term(ZONE, selector("app", "db2"));
        allNamespaces.setNamespaceSelector(new LabelSelector());
        assertThat(passing(new InterPodAffinity(), snapshot(foreignDb),
                pod("web").affinity(affinity(allNamespaces)).build())).containsExactly("c");
    }
}
