package dev.skiff.node.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.ContainerStatus;
import dev.skiff.node.runtime.InstanceId;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The prober's timing semantics with an injected clock, against real local HTTP and TCP servers. */
class ProbeWorkerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private HttpServer http;
    private final AtomicInteger hits = new AtomicInteger();
    private volatile int statusCode = 200;
    private final Handlers handlers = new Handlers(null);
    private Instant now = T0;
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final List<String> calls = new ArrayList<>();
    private final ProbeWorker.Listener listener = new ProbeWorker.Listener() {
        @Override
        public void changed() {
            calls.add("changed");
        }

        @Override
        public void unhealthy(ProbeKind kind, String output) {
            calls.add("unhealthy " + output);
        }

        @Override
        public void kill(ProbeKind kind) {
            calls.add("kill " + kind);
        }
    };

    @BeforeEach
    void startServer() throws Exception {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/healthz", exchange -> {
            hits.incrementAndGet();
            exchange.sendResponseHeaders(statusCode, -1);
            exchange.close();
        });
        http.start();
    }

    @AfterEach
    void stopServer() {
        http.stop(0);
    }

    private Target target(Container c) {
        return new Target(InstanceId.of("uid"), new PodBuilder().withNewMetadata().withName("p").endMetadata()
                .withNewSpec().withContainers(c).endSpec().build(), c, "127.0.0.1");
    }

    private ProbeWorker worker(ProbeKind kind, Probe probe) {
        Container c = new ContainerBuilder().withName("app").withImage("i")
                .addNewPort().withName("web").withContainerPort(http.getAddress().getPort()).endPort().build();
        return new ProbeWorker(kind, probe, clock, () -> handlers.run(probe.getExec(), probe.getHttpGet(),
                probe.getTcpSocket(), probe.getGrpc(), target(c), Duration.ofSeconds(1)), listener);
    }

    private static ContainerStatus running(String id, Instant since) {
        return new ContainerStatus("app", "i", "", id, new ContainerState.Running(since), null, 0, true, true);
    }

    @Test
    void readinessWaitsForItsInitialDelayAndFollowsThresholdsOverHttp() {
        Probe probe = new ProbeBuilder().withNewHttpGet().withPath("/healthz").withPort(new IntOrString("web"))
                .endHttpGet().withInitialDelaySeconds(5).withSuccessThreshold(2).withFailureThreshold(2).build();
        ProbeWorker readiness = worker(ProbeKind.READINESS, probe);
        ContainerStatus c = running("c1", T0);

        now = T0.plusSeconds(4);
        readiness.tick(c, true);
        assertThat(hits).as("nothing probed before initialDelaySeconds").hasValue(0);
        assertThat(readiness.result()).isFalse();

        now = T0.plusSeconds(5);
        readiness.tick(c, true);
        assertThat(readiness.result()).as("one success of two needed").isFalse();
        readiness.tick(c, true);
        assertThat(readiness.result()).isTrue();
        assertThat(hits).hasValue(2);

        statusCode = 500;
        readiness.tick(c, true);
        assertThat(readiness.result()).as("one failure of two needed").isTrue();
        readiness.tick(c, true);
        assertThat(readiness.result()).isFalse();
        assertThat(calls).containsExactly("changed", "unhealthy HTTP probe failed with statuscode: 500",
                "unhealthy HTTP probe failed with statuscode: 500", "changed");

        readiness.tick(new ContainerStatus("app", "i", "", "c1",
                new ContainerState.Terminated(1, "Error", "", T0, now), null, 0, false, true), true);
        assertThat(readiness.result()).isFalse();
        assertThat(calls).doesNotContain("kill READINESS");
    }

    @Test
    void livenessOverTcpKillsOnceAtItsThresholdAndStartsOverWithTheNextAttempt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Probe probe = new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(port)).endTcpSocket()
                .withFailureThreshold(2).build();
        ProbeWorker liveness = worker(ProbeKind.LIVENESS, probe);
        ContainerStatus first = running("c1", T0);

        liveness.tick(first, true);
        assertThat(liveness.result()).isTrue();
        liveness.tick(first, true);
        assertThat(liveness.result()).isFalse();
        assertThat(calls).filteredOn(s -> s.startsWith("kill")).containsExactly("kill LIVENESS");
        assertThat(calls).filteredOn(s -> s.startsWith("unhealthy")).hasSize(2)
                .allSatisfy(s -> assertThat(s).startsWith("unhealthy dial tcp 127.0.0.1:" + port));

        liveness.tick(first, true);
        assertThat(calls).as("on hold until the container restarts").filteredOn(s -> s.startsWith("unhealthy"))
                .hasSize(2);

        try (ServerSocket listening = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            liveness.tick(running("c2", T0.plusSeconds(30)), true);
            assertThat(liveness.result()).isTrue();
            assertThat(calls).filteredOn(s -> s.startsWith("kill")).hasSize(1);
        }
    }

    @Test
    void livenessAndReadinessWaitForTheStartupProbe() {
        Probe http200 = new ProbeBuilder().withNewHttpGet().withPath("/healthz")
                .withPort(new IntOrString(http.getAddress().getPort())).endHttpGet().build();
        ProbeWorker startup = worker(ProbeKind.STARTUP, http200);
        ProbeWorker liveness = worker(ProbeKind.LIVENESS, http200);
        ContainerStatus c = running("c1", T0);

        liveness.tick(c, startup.result());
        assertThat(hits).as("liveness waits for startup").hasValue(0);
        startup.tick(c, false);
        assertThat(startup.result()).isTrue();
        startup.tick(c, true);
        assertThat(hits).as("startup stops once it succeeded").hasValue(1);
        liveness.tick(c, startup.result());
        assertThat(hits).hasValue(2);
    }
}
