package dev.skiff.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.node.ipam.Cidr;
import dev.skiff.node.simulated.SimulatedRuntime;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The virtual kubelet against Skiff's real API server, with the simulated runtime. */
class NodeAgentTest {

    private static final String NODE = "vk-test-1";
    private static final Cidr CIDR = Cidr.parse("10.20.0.0/24");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static AgentHarness harness;
    static KubernetesClient client;
    static SimulatedRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        harness = AgentHarness.start(dir, config(), r -> r);
        client = harness.client();
        runtime = harness.simulated();
    }

    static NodeConfig config() {
        return NodeConfig.of(NODE, "zone-a", "vsw-1", "skiff", CIDR, "192.0.2.10")
                .withLeaseInterval(Duration.ofMillis(200))
                .withRetry(Duration.ofMillis(50), Duration.ofSeconds(1));
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void registersAReadyVirtualNodeAndRenewsItsLease() {
        Node node = client.nodes().withName(NODE).get();
        assertThat(node).isNotNull();
        assertThat(node.getMetadata().getLabels())
                .containsEntry("type", "virtual-kubelet")
                .containsEntry("kubernetes.io/role", "agent")
                .containsEntry("topology.kubernetes.io/zone", "zone-a")
                .containsEntry(NodeObjects.VSWITCH_LABEL, "vsw-1");
        assertThat(node.getSpec().getTaints()).singleElement().satisfies(t -> {
            assertThat(t.getKey()).isEqualTo("virtual-kubelet.io/provider");
            assertThat(t.getValue()).isEqualTo("skiff");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
        assertThat(node.getStatus().getAllocatable()).containsKeys("cpu", "memory", "pods", "ephemeral-storage");
        assertThat(node.getStatus().getCapacity().get("pods").toString()).isEqualTo("50000");
        assertThat(node.getStatus().getConditions()).extracting(NodeCondition::getType, NodeCondition::getStatus)
                .contains(org.assertj.core.groups.Tuple.tuple("Ready", "True"),
                        org.assertj.core.groups.Tuple.tuple("MemoryPressure", "False"));
        assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).isNotEmpty();
        assertThat(node.getStatus().getAddresses()).anySatisfy(a -> {
            assertThat(a.getType()).isEqualTo("InternalIP");
            assertThat(a.getAddress()).isEqualTo("192.0.2.10");
        });

        var leases = client.resources(Lease.class).inNamespace("kube-node-lease").withName(NODE);
        await().atMost(TIMEOUT).until(() -> leases.get() != null);
        Lease first = leases.get();
        assertThat(first.getSpec().getHolderIdentity()).isEqualTo(NODE);
        assertThat(first.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
        assertThat(first.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(node.getMetadata().getUid()));
        ZonedDateTime renewed = first.getSpec().getRenewTime();
        await().atMost(TIMEOUT).until(() -> leases.get().getSpec().getRenewTime().isAfter(renewed));
    }

    @Test
    void aBoundPodRunsWithAnAddressContainerStatusesAndEvents() throws Exception {
        Pod pod = client.pods().inNamespace("default").resource(pod("web", Map.of(), "Always")).create();

        Pod running = await().atMost(TIMEOUT).until(() -> client.pods().inNamespace("default").withName("web").get(),
                p -> "Running".equals(p.getStatus().getPhase()) && conditionTrue(p, "Ready"));
        var status = running.getStatus();
        assertThat(CIDR.contains(InetAddress.getByName(status.getPodIP()))).isTrue();
        assertThat(status.getPodIPs()).singleElement().satisfies(ip -> assertThat(ip.getIp())
                .isEqualTo(status.getPodIP()));
        assertThat(status.getHostIP()).isEqualTo("192.0.2.10");
        assertThat(status.getStartTime()).isNotNull();
        assertThat(status.getQosClass()).isEqualTo("BestEffort");
        assertThat(status.getConditions()).extracting(PodCondition::getType).contains("PodScheduled", "Initialized",
                "ContainersReady", "Ready", "PodReadyToStartContainers");
        ContainerStatus c = status.getContainerStatuses().getFirst();
        assertThat(c.getName()).isEqualTo("app");
        assertThat(c.getReady()).isTrue();
        assertThat(c.getStarted()).isTrue();
        assertThat(c.getRestartCount()).isZero();
        assertThat(c.getImage()).isEqualTo("nginx:1.27");
        assertThat(c.getContainerID()).startsWith("simulated://");
        assertThat(c.getState().getRunning()).isNotNull();

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(eventsOf(pod)).extracting(Event::getReason)
                .contains("Pulling", "Pulled", "Created", "Started"));
        Event started = eventsOf(pod).stream().filter(e -> e.getReason().equals("Started")).findFirst().orElseThrow();
        assertThat(started.getSource().getComponent()).isEqualTo("kubelet");
        assertThat(started.getSource().getHost()).isEqualTo(NODE);
        assertThat(started.getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{app}");
    }

    @Test
    void aPodWhoseContainersExitSucceedsAndKeepsItsStatus() {
        client.pods().inNamespace("default").resource(pod("job",
                Map.of("skiff.dev/simulated-exit-after", "100ms"), "Never")).create();

        Pod done = await().atMost(TIMEOUT).until(() -> client.pods().inNamespace("default").withName("job").get(),
                p -> "Succeeded".equals(p.getStatus().getPhase()));
        var terminated = done.getStatus().getContainerStatuses().getFirst().getState().getTerminated();
        assertThat(terminated).isNotNull();
        assertThat(terminated.getExitCode()).isZero();
        assertThat(terminated.getReason()).isEqualTo("Completed");
        assertThat(done.getStatus().getConditions()).filteredOn(c -> c.getType().equals("Ready"))
                .singleElement().satisfies(r -> assertThat(r.getReason()).isEqualTo("PodCompleted"));
    }

    @Test
    void aDeletedRunningPodGoesAwayAndItsInstanceIsRemoved() {
        Pod pod = client.pods().inNamespace("default").resource(pod("doomed", Map.of(), "Always")).create();
        String uid = pod.getMetadata().getUid();
        await().atMost(TIMEOUT).until(() -> client.pods().inNamespace("default").withName("doomed").get(),
                p -> "Running".equals(p.getStatus().getPhase()));

        client.pods().inNamespace("default").withName("doomed").delete();

        await().atMost(TIMEOUT).until(() -> client.pods().inNamespace("default").withName("doomed").get() == null);
        await().atMost(TIMEOUT).until(() -> runtime.status(dev.skiff.node.runtime.InstanceId.of(uid)).isEmpty());
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(eventsOf(pod)).extracting(Event::getReason)
                .contains("Killing"));
    }

    @Test
    void aPodMarkedForDeletionIsStoppedWithinItsGracePeriodAndLeftTerminal() {
        // A finalizer makes the API server mark the pod (deletionTimestamp) instead of removing it, which is what
        // graceful deletion of a bound pod does too: the agent must stop the instance and finish the deletion.
        Pod template = pod("graceful", Map.of("skiff.dev/simulated-shutdown-after", "200ms"), "Always");
        template.getMetadata().setFinalizers(List.of("skiff.dev/test-hold"));
        Pod pod = client.pods().inNamespace("default").resource(template).create();
        var ref = client.pods().inNamespace("default").withName("graceful");
        await().atMost(TIMEOUT).until(ref::get, p -> "Running".equals(p.getStatus().getPhase()));

        ref.delete();

        await().atMost(TIMEOUT).until(
                () -> runtime.status(dev.skiff.node.runtime.InstanceId.of(pod.getMetadata().getUid())).isEmpty());
        Pod marked = await().atMost(TIMEOUT).until(ref::get,
                p -> p.getStatus().getPhase().equals("Succeeded") || p.getStatus().getPhase().equals("Failed"));
        assertThat(marked.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(marked.getStatus().getContainerStatuses().getFirst().getState().getTerminated()).isNotNull();

        ref.edit(p -> {
            p.getMetadata().setFinalizers(List.of());
            return p;
        });
        await().atMost(TIMEOUT).until(() -> ref.get() == null);
    }

    @Test
    void theFinalDeleteRemovesOnlyThePodWithTheSameUid() {
        // Not bound to the agent's node: only PodDeletion acts on it.
        Pod template = pod("unbound", Map.of(), "Always");
        template.getSpec().setNodeName(null);
        Pod created = client.pods().inNamespace("default").resource(template).create();
        Pod stale = new PodBuilder(created).editMetadata().withUid("00000000-0000-0000-0000-000000000000")
                .endMetadata().build();

        assertThat(PodDeletion.finish(client, stale)).isEqualTo(PodDeletion.Outcome.ALREADY_GONE);
        assertThat(client.pods().inNamespace("default").withName("unbound").get()).isNotNull();

        assertThat(PodDeletion.finish(client, created)).isEqualTo(PodDeletion.Outcome.DELETED);
        assertThat(client.pods().inNamespace("default").withName("unbound").get()).isNull();
    }

    static Pod pod(String name, Map<String, String> annotations, String restartPolicy) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("default").withAnnotations(annotations).endMetadata()
                .withNewSpec()
                .withNodeName(NODE)
                .withRestartPolicy(restartPolicy)
                .addNewToleration().withKey(NodeObjects.TAINT_KEY).withOperator("Exists").endToleration()
                .addNewContainer().withName("app").withImage("nginx:1.27").endContainer()
                .endSpec()
                .build();
    }

    static boolean conditionTrue(Pod pod, String type) {
        return pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals(type) && c.getStatus().equals("True"));
    }

    static List<Event> eventsOf(Pod pod) {
        return client.v1().events().inNamespace(pod.getMetadata().getNamespace()).list().getItems().stream()
                .filter(e -> pod.getMetadata().getUid().equals(e.getInvolvedObject().getUid()))
                .toList();
    }
}
