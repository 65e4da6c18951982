package dev.skiff.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.apiserver.testing.TestApiServer;
import dev.skiff.node.agent.eviction.EvictionManager;
import dev.skiff.node.ipam.Cidr;
import dev.skiff.node.kubelet.KubeletServing;
import dev.skiff.node.runtime.InstanceId;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ephemeral storage on a node agent with the simulated runtime (usage from annotations), checked every 200 ms:
 * container limits and ECI's instance size evict as the kubelet's eviction manager does, an exhausted instance
 * without {@code eci-eviction-enable} only gets a Warning; and the stats Summary through the API server's node
 * proxy with the real kubectl, behind the {@code nodes/proxy} RBAC check.
 */
class EphemeralStorageTest {

    private static final String NODE = "vk-storage";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static AgentHarness harness;
    static KubernetesClient client;
    static Path kubeconfig;

    @BeforeAll
    static void start() throws Exception {
        harness = AgentHarness.start(dir.resolve("api"), NodeConfig.of(NODE, "zone-a", "vsw-1", "skiff",
                        Cidr.parse("10.40.0.0/24"), "127.0.0.1").withHousekeepingInterval(Duration.ofMillis(200))
                        .withDataDir(Files.createDirectories(dir.resolve("node"))),
                r -> r, server -> {
                    List<String> pems = server.kubeletServing(NODE, "127.0.0.1");
                    return new KubeletServing("127.0.0.1", 0, pems.get(0), pems.get(1), pems.get(2),
                            Set.of(TestApiServer.KUBELET_CLIENT_USER));
                });
        client = harness.client();
        kubeconfig = dir.resolve("kubeconfig");
        harness.server().writeKubeconfig(kubeconfig);
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aContainerOverItsLimitGetsThePodEvictedAndItsInstanceKilled() {
        Pod pod = client.resource(pod("hog", Map.of("skiff.dev/simulated-ephemeral-storage", "40Mi"), "20Mi"))
                .create();

        Pod evicted = awaitPhase("hog", "Failed");
        assertThat(evicted.getStatus().getReason()).isEqualTo("Evicted");
        assertThat(evicted.getStatus().getMessage()).isEqualTo(
                "Pod ephemeral local storage usage exceeds the total limit of containers 20Mi. Usage: 40Mi.");
        assertThat(evicted.getStatus().getConditions()).extracting(PodCondition::getType)
                .doesNotContain("DisruptionTarget");
        assertThat(evicted.getStatus().getContainerStatuses()).singleElement()
                .satisfies(c -> assertThat(c.getState().getTerminated()).isNotNull());
        await().atMost(PATIENCE).until(() -> events("hog").stream().anyMatch(e -> e.getReason().equals("Evicted")
                && e.getType().equals("Warning") && e.getMessage().equals(evicted.getStatus().getMessage())));
        // Killed and never started again: the instance is gone and the pod stays Failed.
        await().atMost(PATIENCE).until(() -> harness.simulated().status(
                InstanceId.of(pod.getMetadata().getUid())).isEmpty());
        assertThat(client.pods().inNamespace("default").withName("hog").get().getStatus().getPhase()).isEqualTo("Failed");
    }

    @Test
    void anExhaustedInstanceIsEvictedOnlyWhenThePodEnablesIt() {
        client.resource(pod("quiet", Map.of("skiff.dev/simulated-ephemeral-storage", "31Gi"), null)).create();
        client.resource(pod("strict", Map.of("skiff.dev/simulated-ephemeral-storage", "31Gi",
                "k8s.aliyun.com/eci-eviction-enable", "true"), null)).create();
        client.resource(pod("roomy", Map.of("skiff.dev/simulated-ephemeral-storage", "31Gi",
                "k8s.aliyun.com/eci-eviction-enable", "true",
                "k8s.aliyun.com/eci-extra-ephemeral-storage", "20Gi"), null)).create();

        Pod strict = awaitPhase("strict", "Failed");
        assertThat(strict.getStatus().getReason()).isEqualTo("Evicted");
        assertThat(strict.getStatus().getMessage()).contains("31Gi exceeds the instance's 30Gi");
        assertThat(strict.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("DisruptionTarget");
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("TerminationByKubelet");
        });

        await().atMost(PATIENCE).until(() -> events("quiet").stream().anyMatch(e ->
                e.getReason().equals(EvictionManager.EXHAUSTED_REASON) && e.getType().equals("Warning")));
        // Warned once per episode, not on every 200 ms pass; and still running, as is the pod with room.
        awaitPhase("roomy", "Running");
        assertThat(events("quiet")).filteredOn(e -> e.getReason().equals(EvictionManager.EXHAUSTED_REASON))
                .hasSize(1);
        assertThat(client.pods().inNamespace("default").withName("quiet").get().getStatus().getPhase()).isEqualTo("Running");
        assertThat(events("roomy")).extracting(Event::getReason).doesNotContain("Evicted",
                EvictionManager.EXHAUSTED_REASON);
    }

    @Test
    void kubectlReadsTheSummaryThroughTheNodeProxyWithNodesProxyPermission() throws Exception {
        client.resource(pod("measured", Map.of("skiff.dev/simulated-ephemeral-storage", "5Mi"), null)).create();
        awaitPhase("measured", "Running");
        String path = "/api/v1/nodes/" + NODE + "/proxy/stats/summary";

        ObjectMapper json = new ObjectMapper();
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode summary = json.readTree(kubectl("get", "--raw", path).ok().out());
            assertThat(summary.at("/node/nodeName").asText()).isEqualTo(NODE);
            JsonNode pod = null;
            for (JsonNode p : summary.get("pods")) {
                if (p.at("/podRef/name").asText().equals("measured")) {
                    pod = p;
                }
            }
            assertThat(pod).isNotNull();
            JsonNode container = pod.at("/containers/0");
            assertThat(container.get("name").asText()).isEqualTo("app");
            assertThat(container.at("/cpu/usageNanoCores").asLong()).isPositive();
            assertThat(container.at("/cpu/usageCoreNanoSeconds").asLong()).isPositive();
            assertThat(container.at("/memory/workingSetBytes").asLong()).isPositive();
            assertThat(container.at("/rootfs/usedBytes").asLong()).isEqualTo(5L << 20);
            assertThat(pod.at("/ephemeral-storage/usedBytes").asLong()).isEqualTo(5L << 20);
        });

        // Upstream authorizes the proxy as get on nodes/proxy: refused without it, served with it.
        Result refused = kubectl("get", "--raw", path, "--as=auditor");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("forbidden").contains("nodes/proxy");
        kubectl("create", "clusterrole", "node-stats", "--verb=get", "--resource=nodes/proxy").ok();
        kubectl("create", "clusterrolebinding", "auditor-node-stats", "--clusterrole=node-stats",
                "--user=auditor").ok();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(kubectl("get", "--raw", path, "--as=auditor")
                .ok().out()).contains("\"podRef\""));
        assertThat(kubectl("get", "--raw", "/api/v1/nodes/" + NODE + "/proxy/stats/nothing").err())
                .contains("NotFound");
    }

    private static Pod pod(String name, Map<String, String> annotations, String limit) {
        var container = new PodBuilder().withNewMetadata().withName(name).withNamespace("default")
                .withAnnotations(annotations).endMetadata()
                .withNewSpec().withNodeName(NODE).withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("app").withImage("busybox:1");
        if (limit != null) {
            container.withNewResources().addToLimits("ephemeral-storage", new Quantity(limit)).endResources();
        }
        return container.endContainer().endSpec().build();
    }

    private static Pod awaitPhase(String name, String phase) {
        await().atMost(PATIENCE).until(() -> {
            Pod p = client.pods().inNamespace("default").withName(name).get();
            return p != null && p.getStatus() != null && phase.equals(p.getStatus().getPhase());
        });
        return client.pods().inNamespace("default").withName(name).get();
    }

    private static List<Event> events(String pod) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> pod.equals(e.getInvolvedObject().getName())).toList();
    }

    record Result(int exitCode, String out, String err) {
        Result ok() {
            assertThat(exitCode).as("kubectl failed: %s %s", err, out).isZero();
            return this;
        }
    }

    private static Result kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig=" + kubeconfig));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "kubectl", ".out");
        Path err = Files.createTempFile(dir, "kubectl", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("HOME", dir.toString());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in 60 s: " + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
