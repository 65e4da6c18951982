package dev.skiff.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.skiff.node.ipam.Cidr;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probes and hooks through the agent, with Skiff's real API server and the simulated runtime. Simulated instances
 * serve nothing, so the probes and hooks name an explicit host: an HTTP server of this test on loopback, whose
 * answers the test switches. That proves the agent's side (timing, Ready condition, restarts, hook order), not a
 * pod's own server; the real runtime's end-to-end tests probe pods on their addresses.
 */
class ProbesTest {

    private static final String NODE = "vk-probes";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static AgentHarness harness;
    static KubernetesClient client;
    static HttpServer http;
    static final Map<String, Integer> answers = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
            exchange.sendResponseHeaders(answers.getOrDefault(path, 200), -1);
            exchange.close();
        });
        http.start();
        NodeConfig config = NodeConfig.of(NODE, "zone-a", "vsw-1", "skiff", Cidr.parse("10.22.0.0/24"), "192.0.2.12")
                .withRetry(Duration.ofMillis(50), Duration.ofSeconds(1))
                .withDataDir(dir.resolve("node"));
        harness = AgentHarness.start(dir.resolve("api"), config, r -> r);
        client = harness.client();
    }

    @AfterAll
    static void stop() {
        try {
            if (harness != null) {
                harness.close();
            }
        } finally {
            if (http != null) {
                http.stop(0);
            }
        }
    }

    @Test
    void readinessDrivesReadyLivenessRestartsAndHooksRun() {
        answers.put("/ready", 503);
        int port = http.getAddress().getPort();
        client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("probed").endMetadata()
                .withNewSpec().withNodeName(NODE).withTerminationGracePeriodSeconds(5L)
                .addNewContainer().withName("app").withImage("busybox")
                .withNewReadinessProbe().withNewHttpGet().withHost("127.0.0.1").withPath("/ready")
                .withPort(new IntOrString(port)).endHttpGet().withPeriodSeconds(1).endReadinessProbe()
                .withNewLivenessProbe().withNewHttpGet().withHost("127.0.0.1").withPath("/live")
                .withPort(new IntOrString(port)).endHttpGet().withPeriodSeconds(1).withFailureThreshold(2)
                .endLivenessProbe()
                .withNewLifecycle()
                .withNewPostStart().withNewHttpGet().withHost("127.0.0.1").withPath("/post-start")
                .withPort(new IntOrString(port)).endHttpGet().endPostStart()
                .withNewPreStop().withNewHttpGet().withHost("127.0.0.1").withPath("/pre-stop")
                .withPort(new IntOrString(port)).endHttpGet().endPreStop()
                .endLifecycle()
                .endContainer().endSpec().build()).create();

        Pod unready = await().atMost(TIMEOUT).until(this::pod, p -> "Running".equals(p.getStatus().getPhase())
                && hits.containsKey("/ready"));
        assertThat(hits.get("/post-start")).as("postStart ran before the probes").isNotNull();
        assertThat(condition(unready, "Ready")).isEqualTo("False");
        assertThat(unready.getStatus().getContainerStatuses().getFirst().getReady()).isFalse();

        answers.put("/ready", 200);
        Pod ready = await().atMost(TIMEOUT).until(this::pod, p -> "True".equals(condition(p, "Ready")));
        assertThat(condition(ready, "ContainersReady")).isEqualTo("True");
        assertThat(ready.getStatus().getContainerStatuses().getFirst().getReady()).isTrue();

        answers.put("/live", 500);
        Pod restarted = await().atMost(TIMEOUT).until(this::pod,
                p -> p.getStatus().getContainerStatuses().getFirst().getRestartCount() >= 1);
        answers.put("/live", 200);
        assertThat(restarted.getStatus().getContainerStatuses().getFirst().getLastState().getTerminated()
                .getExitCode()).isEqualTo(137);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events()).extracting(Event::getMessage)
                .contains("Container app failed liveness probe, will be restarted",
                        "Liveness probe failed: HTTP probe failed with statuscode: 500"));
        await().atMost(TIMEOUT).until(this::pod, p -> "True".equals(condition(p, "Ready")));

        int preStops = hits.containsKey("/pre-stop") ? hits.get("/pre-stop").get() : 0;
        client.pods().inNamespace("default").withName("probed").delete();
        await().atMost(TIMEOUT).until(() -> pod() == null);
        assertThat(hits.get("/pre-stop")).as("preStop ran before the pod went").isNotNull();
        assertThat(hits.get("/pre-stop").get()).isEqualTo(preStops + 1);
    }

    private Pod pod() {
        return client.pods().inNamespace("default").withName("probed").get();
    }

    private static String condition(Pod pod, String type) {
        return pod.getStatus().getConditions().stream().filter(c -> c.getType().equals(type))
                .map(PodCondition::getStatus).findFirst().orElse(null);
    }

    private static List<Event> events() {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> "probed".equals(e.getInvolvedObject().getName())).toList();
    }
}
