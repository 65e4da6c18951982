package dev.skiff.control.scheduler.loop;

import dev.skiff.apiserver.testing.TestApiServer;
import static dev.skiff.control.scheduler.testing.TestPod.pod;
import static dev.skiff.control.scheduler.testing.TestPod.selector;
import static dev.skiff.control.scheduler.testing.TestNode.virtualNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.control.scheduler.Scheduler;
import dev.skiff.control.scheduler.SchedulerConfig;
import dev.skiff.control.scheduler.model.EciPlacement;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduling loop against Skiff's real API server: bindings, unschedulable reporting, retries, batches. */
class SchedulingLoopTest {

    @TempDir
    Path dir;

    private TestApiServer server;
    private KubernetesClient client;
    private ScheduledExecutorService loopExecutor;
    private ExecutorService writes;
    private SchedulingLoop loop;

    @BeforeEach
    void setUp() throws Exception {
        server = TestApiServer.start(dir);
        client = server.newClient();
        loopExecutor = Executors.newSingleThreadScheduledExecutor();
        writes = Executors.newFixedThreadPool(8);
    }

    @AfterEach
    void tearDown() {
        try {
            if (loop != null) {
                loop.close();
            }
            loopExecutor.shutdownNow();
            writes.shutdownNow();
            client.close();
        } finally {
            server.close();
        }
    }

    private void startLoop() {
        loop = SchedulingLoop.start(client, new Scheduler(SchedulerConfig.defaults()),
                new LoopConfig(500, Duration.ofMillis(200), Duration.ofSeconds(2)), Clock.systemUTC(),
                loopExecutor, writes);
    }

    private void createNode(String name, String zone) {
        Node node = virtualNode(name, zone, "vsw-" + zone).build();
        client.nodes().resource(node).create();
        // Status is a subresource: set allocatable and the Ready condition as a kubelet would.
        client.nodes().withName(name).editStatus(n -> {
            n.setStatus(node.getStatus());
            return n;
        });
    }

    private Pod pending(String name) {
        return client.pods().inNamespace("default").withName(name).get();
    }

    private List<Event> events(String pod, String reason) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> pod.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .toList();
    }

    @Test
    void bindsPodsToTheNodesTheirSelectorsAllowAndRecordsScheduled() {
        createNode("vk-a", "zone-a");
        createNode("vk-b", "zone-b");
        startLoop();

        client.pods().resource(pod("web").tolerateVirtualNodes()
                .nodeSelector(EciPlacement.ZONE_LABEL, "zone-b").build()).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(pending("web").getSpec().getNodeName()).isEqualTo("vk-b"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Event> scheduled = events("web", "Scheduled");
            assertThat(scheduled).hasSize(1);
            assertThat(scheduled.getFirst().getMessage()).isEqualTo("Successfully assigned default/web to vk-b");
            assertThat(scheduled.getFirst().getSource().getComponent()).isEqualTo("default-scheduler");
            assertThat(scheduled.getFirst().getType()).isEqualTo("Normal");
        });
    }

    @Test
    void leavesPodsOfOtherSchedulersAlone() {
        createNode("vk-a", "zone-a");
        startLoop();
        client.pods().resource(pod("mine").tolerateVirtualNodes().build()).create();
        client.pods().resource(pod("theirs").tolerateVirtualNodes().schedulerName("other").build()).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(pending("mine").getSpec().getNodeName()).isEqualTo("vk-a"));
        assertThat(pending("theirs").getSpec().getNodeName()).isNull();
        assertThat(events("theirs", "FailedScheduling")).isEmpty();
    }

    @Test
    void reportsUnschedulablePodsAndSchedulesThemWhenAFittingNodeAppears() {
        createNode("vk-a", "zone-a");
        startLoop();

        client.pods().resource(pod("lonely").tolerateVirtualNodes()
                .nodeSelector(EciPlacement.ZONE_LABEL, "zone-c").build()).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            PodCondition scheduled = pending("lonely").getStatus().getConditions().stream()
                    .filter(c -> c.getType().equals("PodScheduled")).findFirst()
                    // An AssertionError, so that the await retries until the scheduler has written the condition.
                    .orElseThrow(() -> new AssertionError("no PodScheduled condition yet"));
            assertThat(scheduled.getStatus()).isEqualTo("False");
            assertThat(scheduled.getReason()).isEqualTo("Unschedulable");
            assertThat(scheduled.getMessage()).startsWith("0/1 nodes are available:")
                    .contains("node(s) didn't match Pod's node affinity/selector");
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Event> failed = events("lonely", "FailedScheduling");
            assertThat(failed).isNotEmpty();
            assertThat(failed.getFirst().getType()).isEqualTo("Warning");
            assertThat(failed.getFirst().getSource().getComponent()).isEqualTo("default-scheduler");
            assertThat(failed.getFirst().getMessage()).startsWith("0/1 nodes are available:");
        });
        assertThat(pending("lonely").getSpec().getNodeName()).isNull();

        createNode("vk-c", "zone-c");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(pending("lonely").getSpec().getNodeName()).isEqualTo("vk-c"));
    }

    @Test
    void spreadsABatchOf200PodsEvenlyOverTwoZones() {
        createNode("vk-a", "zone-a");
        createNode("vk-b", "zone-b");
        startLoop();

        for (int i = 0; i < 200; i++) {
            client.pods().resource(pod("web-" + i).label("app", "web").tolerateVirtualNodes()
                    .spread(1, EciPlacement.ZONE_LABEL, "DoNotSchedule", selector("app", "web")).build()).create();
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<Pod> pods = client.pods().inNamespace("default").withLabel("app", "web").list().getItems();
            assertThat(pods).hasSize(200).allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isNotNull());
        });
        Map<String, Long> perNode = client.pods().inNamespace("default").withLabel("app", "web").list().getItems()
                .stream().collect(Collectors.groupingBy(p -> p.getSpec().getNodeName(), Collectors.counting()));
        assertThat(perNode).containsOnlyKeys("vk-a", "vk-b");
        assertThat(Math.abs(perNode.get("vk-a") - perNode.get("vk-b"))).isLessThanOrEqualTo(1);
    }
}
