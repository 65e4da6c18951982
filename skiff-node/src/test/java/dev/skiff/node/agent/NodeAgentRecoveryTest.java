package dev.skiff.node.agent;

import dev.skiff.apiserver.testing.TestApiServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.node.ipam.Cidr;
import dev.skiff.node.simulated.SimulatedRuntime;
import dev.skiff.node.simulated.SimulationProfile;
import dev.skiff.node.simulated.Stage;
import dev.skiff.node.simulated.StageFailure;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provider failures are retried with backoff, and a restarted agent takes over where the last one stopped. */
class NodeAgentRecoveryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static TestApiServer server;
    static KubernetesClient client;
    static ScheduledExecutorService scheduler;
    static ExecutorService notifications;

    @BeforeAll
    static void start() throws Exception {
        server = TestApiServer.start(dir);
        client = server.newClient();
        scheduler = Executors.newScheduledThreadPool(2);
        notifications = Executors.newVirtualThreadPerTaskExecutor();
    }

    @AfterAll
    static void stop() {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
            if (notifications != null) {
                notifications.shutdownNow();
            }
            if (server != null) {
                server.close();
            }
        }
    }

    static NodeConfig config(String node, String cidr) {
        return NodeConfig.of(node, "zone-a", "vsw-1", "skiff", Cidr.parse(cidr), "192.0.2.20")
                .withLeaseInterval(Duration.ofMillis(500))
                .withRetry(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    SimulatedRuntime simulated(SimulationProfile profile) {
        return new SimulatedRuntime(profile, Clock.systemUTC(), scheduler, notifications);
    }

    @Test
    void anUnavailableProviderIsRetriedUntilThePodRuns() {
        try (FlakyRuntime runtime = new FlakyRuntime(simulated(SimulationProfile.instant()), 3);
             NodeAgent agent = NodeAgent.start(client, config("vk-flaky", "10.30.0.0/24"), runtime,
                     Clock.systemUTC(), scheduler)) {
            client.pods().inNamespace("default").resource(pod("flaky", "vk-flaky")).create();

            await().atMost(TIMEOUT).until(() -> client.pods().inNamespace("default").withName("flaky").get(),
                    p -> "Running".equals(p.getStatus().getPhase()));
            assertThat(runtime.creates.get()).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void aProviderFailureLeavesThePodPendingAndIsRetried() {
        SimulationProfile failing = SimulationProfile.instant().withStages(List.of(
                Stage.of("Creating", "Creating the sandbox", Duration.ZERO, Duration.ZERO)
                        .withFailure(1.0, new StageFailure.Fail("ProviderFailed", "no capacity (test)"))));
        try (FlakyRuntime runtime = new FlakyRuntime(simulated(failing), 0);
             NodeAgent agent = NodeAgent.start(client, config("vk-failing", "10.31.0.0/24"), runtime,
                     Clock.systemUTC(), scheduler)) {
            client.pods().inNamespace("default").resource(pod("unlucky", "vk-failing")).create();

            Pod pending = await().atMost(TIMEOUT).until(
                    () -> client.pods().inNamespace("default").withName("unlucky").get(),
                    p -> "ProviderFailed".equals(p.getStatus().getReason()));
            assertThat(pending.getStatus().getPhase()).isEqualTo("Pending");
            // Never a terminal phase: the agent keeps trying, creating the instance again and again.
            await().atMost(TIMEOUT).until(() -> runtime.creates.get() >= 3);
            assertThat(client.pods().inNamespace("default").withName("unlucky").get().getStatus().getPhase())
                    .isEqualTo("Pending");
        }
    }

    @Test
    void aRestartedAgentAdoptsItsPodsAndTheirAddresses() {
        try (SimulatedRuntime runtime = simulated(SimulationProfile.instant())) {
            NodeConfig config = config("vk-restart", "10.32.0.0/29");
            String firstIp;
            try (NodeAgent first = NodeAgent.start(client, config, runtime, Clock.systemUTC(), scheduler)) {
                client.pods().inNamespace("default").resource(pod("before", "vk-restart")).create();
                firstIp = await().atMost(TIMEOUT).until(
                        () -> client.pods().inNamespace("default").withName("before").get(),
                        p -> "Running".equals(p.getStatus().getPhase())).getStatus().getPodIP();
            }
            try (NodeAgent second = NodeAgent.start(client, config, runtime, Clock.systemUTC(), scheduler)) {
                client.pods().inNamespace("default").resource(pod("after", "vk-restart")).create();
                Pod after = await().atMost(TIMEOUT).until(
                        () -> client.pods().inNamespace("default").withName("after").get(),
                        p -> "Running".equals(p.getStatus().getPhase()));
                assertThat(after.getStatus().getPodIP()).isNotEqualTo(firstIp);
                assertThat(client.pods().inNamespace("default").withName("before").get().getStatus().getPodIP())
                        .isEqualTo(firstIp);
            }
        }
    }

    static Pod pod(String name, String node) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("default").withAnnotations(Map.of()).endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .addNewToleration().withKey(NodeObjects.TAINT_KEY).withOperator("Exists").endToleration()
                .addNewContainer().withName("app").withImage("nginx:1.27").endContainer()
                .endSpec()
                .build();
    }
}
