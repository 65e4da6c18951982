package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.Decision;
import dev.skiff.control.scheduler.Scheduler;
import dev.skiff.control.scheduler.SchedulerConfig;
import dev.skiff.control.scheduler.framework.ClusterSnapshot;
import dev.skiff.control.scheduler.framework.PodInfo;
import dev.skiff.control.scheduler.model.Selector;
import dev.skiff.control.scheduler.testing.TestNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static dev.skiff.control.scheduler.testing.Harness.scores;
import static dev.skiff.control.scheduler.testing.TestNode.node;
import static dev.skiff.control.scheduler.testing.TestPod.pod;
import static dev.skiff.control.scheduler.testing.TestPod.selector;
import static org.assertj.core.api.Assertions.assertThat;

/** Upstream's system default spreading: selectors from Services and controllers, scores, and batches. */
class SystemDefaultSpreadTest {

    private static Pod owned(Pod pod, String kind, String name) {
        return new PodBuilder(pod).editMetadata().addNewOwnerReference().withApiVersion("apps/v1").withKind(kind)
                .withName(name).withUid(name + "-uid").withController(true).endOwnerReference().endMetadata()
                .build();
    }

    private static ClusterSnapshot twoZones(List<Pod> pods) {
        List<Node> nodes = List.of(node("a").zone("z1").build(), node("b").zone("z2").build());
        ClusterSnapshot snapshot = ClusterSnapshot.of(nodes, pods, Map.of());
        snapshot.workloads().putReplicaSet(new ReplicaSetBuilder().withNewMetadata().withName("web-1")
                .withNamespace("default").endMetadata().withNewSpec().withSelector(selector("app", "web"))
                .endSpec().build());
        return snapshot;
    }

    /**
     * The default selector: services selecting the pod (merged), then its controller's selector; the owner must be
     * known; a bare pod nothing selects has none.
     */
    @ParameterizedTest(name = "service={0} owner={1} -> {2}")
    @CsvSource({
            "none,      none,                   none",
            "app=web,   none,                   app=web",
            "tier=x,    none,                   none",
            "none,      ReplicaSet/web-1,       app=web",
            "none,      ReplicaSet/unknown,     none",
            "tier=fe,   ReplicaSet/web-1,       app=web;tier=fe",
            "none,      StatefulSet/db,         role=db",
            "none,      Job/batch,              none"})
    void defaultSelectorComesFromServicesAndTheController(String service, String owner, String expected) {
        ClusterSnapshot snapshot = ClusterSnapshot.of(List.of(), List.of(), Map.of());
        snapshot.workloads().putReplicaSet(new ReplicaSetBuilder().withNewMetadata().withName("web-1")
                .withNamespace("default").endMetadata().withNewSpec().withSelector(selector("app", "web"))
                .endSpec().build());
        snapshot.workloads().putStatefulSet(new StatefulSetBuilder().withNewMetadata().withName("db")
                .withNamespace("default").endMetadata().withNewSpec().withSelector(selector("role", "db"))
                .endSpec().build());
        if (!service.equals("none")) {
            String[] kv = service.split("=");
            snapshot.workloads().putService(new ServiceBuilder().withNewMetadata().withName("svc")
                    .withNamespace("default").endMetadata().withNewSpec().withSelector(Map.of(kv[0], kv[1]))
                    .endSpec().build());
        }
        Pod pod = pod("p").label("app", "web").label("tier", "fe").label("role", "db").build();
        if (!owner.equals("none")) {
            String[] ref = owner.split("/");
            pod = owned(pod, ref[0], ref[1]);
        }

        var selector = snapshot.defaultSpreadSelector(PodInfo.of(pod));

        if (expected.equals("none")) {
            assertThat(selector).isEmpty();
        } else {
            Map<String, String> labels = new TreeMap<>();
            for (String pair : expected.split(";")) {
                labels.put(pair.split("=")[0], pair.split("=")[1]);
            }
            assertThat(selector).contains(Selector.ofLabels(labels));
        }
    }

    /**
     * Scores by upstream's formula with maxSkew 3 (hostname) and 5 (zone), weights log(2 + 2): a node holding one
     * replica scores round(2 x 1.386 + 2 + 4) = 9 against 6 for an empty one, normalized 100 x (9 + 6 - s) / 9.
     */
    @ParameterizedTest(name = "on a={0} on b={1} -> a={2} b={3}")
    @CsvSource({
            "0, 0, 100, 100",
            "1, 0, 66, 100",
            "0, 2, 100, 50",
            "2, 2, 100, 100"})
    void replicasScoreBySystemDefaults(int onA, int onB, long scoreA, long scoreB) {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < onA + onB; i++) {
            pods.add(owned(pod("web-" + i).label("app", "web").nodeName(i < onA ? "a" : "b").build(),
                    "ReplicaSet", "web-1"));
        }
        Pod incoming = owned(pod("new").label("app", "web").build(), "ReplicaSet", "web-1");

        assertThat(scores(new PodTopologySpreadScore(), twoZones(pods), incoming))
                .containsExactly(Map.entry("a", scoreA), Map.entry("b", scoreB));
    }

    @Test
    void podsWithTheirOwnConstraintsOrNoSelectorGetNoDefaults() {
        Pod bare = pod("bare").label("app", "web").build();
        Pod ownHardConstraint = owned(pod("own").label("app", "web")
                .spread(1, SystemDefaultSpread.ZONE, "DoNotSchedule", selector("app", "web")).build(),
                "ReplicaSet", "web-1");

        assertThat(scores(new PodTopologySpreadScore(), twoZones(List.of()), bare)).isNull();
        assertThat(scores(new PodTopologySpreadScore(), twoZones(List.of()), ownHardConstraint)).isNull();
    }

    /** One batch decides all replicas; pods assumed earlier in the batch count, so 4 replicas go 2 + 2. */
    @Test
    void aBatchOfReplicasSpreadsOverTwoVirtualNodes() {
        List<Node> nodes = List.of(TestNode.virtualNode("vk-a", "zone-a", "vsw-a").build(),
                TestNode.virtualNode("vk-b", "zone-b", "vsw-b").build());
        ClusterSnapshot snapshot = ClusterSnapshot.of(nodes, List.of(), Map.of());
        snapshot.workloads().putReplicaSet(new ReplicaSetBuilder().withNewMetadata().withName("web-1")
                .withNamespace("default").endMetadata().withNewSpec().withSelector(selector("app", "web"))
                .endSpec().build());
        List<Pod> batch = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            batch.add(owned(pod("web-" + i).label("app", "web").tolerateVirtualNodes().build(), "ReplicaSet",
                    "web-1"));
        }

        List<Decision> decisions = new Scheduler(SchedulerConfig.defaults()).scheduleBatch(snapshot, batch);

        Map<String, Long> byNode = decisions.stream().collect(Collectors.groupingBy(Decision::nodeName,
                TreeMap::new, Collectors.counting()));
        assertThat(byNode).containsExactly(Map.entry("vk-a", 2L), Map.entry("vk-b", 2L));
    }
}
