package dev.skiff.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.apiserver.testing.TestApiServer;
import dev.skiff.node.ipam.Cidr;
import dev.skiff.node.simulated.SimulatedRuntime;
import dev.skiff.node.simulated.SimulationProfile;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two node agents watching through one set of process-wide informers (as the nodeless cluster runs them): each runs
 * only the pods bound to its own node, and an agent that stops leaves the shared informers to the other.
 */
class SharedAgentInformersTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** The smallest registry: one informer per kind, started together. */
    private static final class Registry implements AgentInformers, AutoCloseable {
        private final KubernetesClient client;
        private final Map<Class<?>, SharedIndexInformer<?>> informers = new LinkedHashMap<>();
        private final List<SharedIndexInformer<?>> started = new ArrayList<>();

        Registry(KubernetesClient client) {
            this.client = client;
        }

        @Override
        @SuppressWarnings("unchecked")
        public synchronized <T extends HasMetadata> SharedIndexInformer<T> informer(Class<T> type) {
            return (SharedIndexInformer<T>) informers.computeIfAbsent(type,
                    t -> client.resources(type).inAnyNamespace().runnableInformer(0));
        }

        @Override
        public synchronized void start() {
            for (SharedIndexInformer<?> informer : informers.values()) {
                if (!started.contains(informer)) {
                    started.add(informer);
                    informer.start().toCompletableFuture().join();
                }
            }
        }

        boolean running(Class<?> type) {
            return informers.get(type).isRunning();
        }

        @Override
        public synchronized void close() {
            informers.values().forEach(SharedIndexInformer::close);
        }
    }

    private static NodeConfig config(String node, String cidr) {
        return NodeConfig.of(node, "zone-" + node, "vsw-" + node, "skiff", Cidr.parse(cidr), "192.0.2.30")
                .withLeaseInterval(Duration.ofMillis(500));
    }

    private static Pod pod(String name, String node) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("busybox").endContainer()
                .endSpec().build();
    }

    private static Pod running(KubernetesClient client, String name) {
        return await().atMost(TIMEOUT).until(() -> client.pods().inNamespace("default").withName(name).get(),
                p -> p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
    }

    @Test
    void eachAgentRunsItsOwnNodesPodsFromTheSharedInformers() throws Exception {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        ExecutorService notifications = Executors.newVirtualThreadPerTaskExecutor();
        try (TestApiServer server = TestApiServer.start(dir);
             KubernetesClient client = server.newClient();
             Registry shared = new Registry(client);
             SimulatedRuntime runtimeA = new SimulatedRuntime(SimulationProfile.instant(), Clock.systemUTC(),
                     scheduler, notifications);
             SimulatedRuntime runtimeB = new SimulatedRuntime(SimulationProfile.instant(), Clock.systemUTC(),
                     scheduler, notifications)) {
            NodeAgent b = NodeAgent.start(client, config("node-b", "10.62.0.0/16"), runtimeB, Clock.systemUTC(),
                    scheduler, null, shared);
            try (b) {
                try (NodeAgent a = NodeAgent.start(client, config("node-a", "10.61.0.0/16"), runtimeA,
                        Clock.systemUTC(), scheduler, null, shared)) {
                    client.pods().inNamespace("default").resource(pod("on-a", "node-a")).create();
                    client.pods().inNamespace("default").resource(pod("on-b", "node-b")).create();
                    // Bound to a node no agent serves: neither agent may touch it.
                    client.pods().inNamespace("default").resource(pod("elsewhere", "node-c")).create();

                    assertThat(running(client, "on-a").getStatus().getPodIP()).startsWith("10.61.");
                    assertThat(running(client, "on-b").getStatus().getPodIP()).startsWith("10.62.");
                    assertThat(runtimeA.list()).hasSize(1);
                    assertThat(runtimeB.list()).hasSize(1);
                    Pod elsewhere = client.pods().inNamespace("default").withName("elsewhere").get();
                    assertThat(elsewhere.getStatus() == null ? null : elsewhere.getStatus().getPhase())
                            .isIn(null, "Pending");
                }
                // Agent a stopped: the shared informers keep running for b, which still starts new pods.
                assertThat(shared.running(Pod.class)).isTrue();
                client.pods().inNamespace("default").resource(pod("on-b-2", "node-b")).create();
                assertThat(running(client, "on-b-2").getStatus().getPodIP()).startsWith("10.62.");
                assertThat(runtimeA.list()).hasSize(1);
            }
        } finally {
            scheduler.shutdownNow();
            notifications.shutdownNow();
        }
    }
}
