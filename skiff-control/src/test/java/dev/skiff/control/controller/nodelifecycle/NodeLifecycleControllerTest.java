package dev.skiff.control.controller.nodelifecycle;

import dev.skiff.apiserver.testing.TestApiServer;
import dev.skiff.control.controller.Controllers;
import dev.skiff.control.controller.Pods;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The node lifecycle controller against a real in-process API server, with a Lease that stops being renewed and an
 * injected clock that is moved past the grace period (no kubelet runs: the test plays its part).
 */
class NodeLifecycleControllerTest {

    private static final String NS = "apps";
    private static final String NODE = "vk-a";

    @TempDir
    Path dir;
    private TestApiServer server;
    private KubernetesClient client;
    private ScheduledExecutorService executor;
    private Controllers controllers;
    private final MovableClock clock = new MovableClock(Instant.now());

    @BeforeEach
    void start() throws Exception {
        server = TestApiServer.start(dir);
        client = server.newClient();
        executor = Executors.newScheduledThreadPool(2);
        for (String ns : List.of(NS, NodeLifecycleController.LEASE_NAMESPACE)) {
            try {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata()
                        .build()).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
    }

    @AfterEach
    void stop() {
        try {
            if (controllers != null) {
                controllers.close();
            }
            if (executor != null) {
                executor.shutdownNow();
            }
            if (client != null) {
                client.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** Plays the kubelet: registers (or reports) the node Ready with a fresh heartbeat. */
    private void kubeletReportsReady() {
        Node node = client.nodes().withName(NODE).get();
        if (node == null) {
            node = client.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata()
                    .withNewSpec().addNewTaint().withKey("virtual-kubelet.io/provider").withValue("skiff")
                    .withEffect("NoSchedule").endTaint().endSpec().build()).create();
        }
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        client.nodes().resource(new NodeBuilder(node).withNewStatus().addNewCondition().withType("Ready")
                .withStatus("True").withReason("KubeletReady").withLastHeartbeatTime(now)
                .withLastTransitionTime(now).endCondition().endStatus().build()).updateStatus();
    }

    /** Plays the kubelet's lease controller. */
    private void renewLease() {
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        var leases = client.resources(Lease.class).inNamespace(NodeLifecycleController.LEASE_NAMESPACE);
        Lease lease = leases.withName(NODE).get();
        if (lease == null) {
            leases.resource(new LeaseBuilder().withNewMetadata().withName(NODE).endMetadata().withNewSpec()
                    .withHolderIdentity(NODE).withLeaseDurationSeconds(40).withRenewTime(now).endSpec().build())
                    .create();
        } else {
            lease.getSpec().setRenewTime(now);
            leases.resource(lease).update();
        }
    }

    /**
     * A Running, Ready pod bound to {@code node}; admission gives it the 300 s unreachable toleration. Its grace
     * period is given, since the server times deletions by the real clock and the controller by the test's.
     */
    private void runningPod(String name, String node, Long unreachableSeconds, long graceSeconds) {
        var spec = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata().withNewSpec()
                .withTerminationGracePeriodSeconds(graceSeconds)
                .withNodeName(node).addNewContainer().withName("c").withImage("i").endContainer();
        if (unreachableSeconds != null) {
            spec = spec.addNewToleration().withKey(NodeTaints.UNREACHABLE).withOperator("Exists")
                    .withEffect("NoExecute").withTolerationSeconds(unreachableSeconds).endToleration();
        }
        Pod pod = client.pods().inNamespace(NS).resource(spec.endSpec().build()).create();
        client.pods().inNamespace(NS).resource(new PodBuilder(pod).withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build())
                .updateStatus();
    }

    private Pod pod(String name) {
        return client.pods().inNamespace(NS).withName(name).get();
    }

    private List<String> ownedTaints() {
        List<Taint> taints = client.nodes().withName(NODE).get().getSpec().getTaints();
        return taints == null ? List.of() : taints.stream().filter(t -> t.getKey().startsWith("node.kubernetes.io/"))
                .map(t -> t.getKey() + ":" + t.getEffect()).toList();
    }

    @Test
    void aNodeThatStopsRenewingItsLeaseIsTaintedAndItsPodsEvicted() {
        kubeletReportsReady();
        renewLease();
        runningPod("patient", NODE, null, 0);       // default toleration: 300 s
        runningPod("impatient", NODE, 0L, 0);       // leaves at once
        runningPod("stuck", NODE, null, 1);         // deleted before the node dies: its kubelet never confirms
        runningPod("orphan", "vk-gone", null, 0);   // bound to a node that does not exist
        client.pods().inNamespace(NS).withName("stuck").delete();
        controllers = Controllers.start(client, clock, executor,
                NodeLifecycleConfig.defaults().withMonitorPeriod(Duration.ofMillis(100)));

        // PodGC: a pod bound to a node that does not exist is force-deleted.
        await().atMost(Duration.ofSeconds(20)).until(() -> pod("orphan") == null);
        assertThat(client.nodes().withName(NODE).get().getStatus().getConditions().getFirst().getStatus())
                .isEqualTo("True");

        // The lease stops; past the 40 s grace period the node is Unknown and tainted unreachable.
        clock.advance(Duration.ofSeconds(120));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Node node = client.nodes().withName(NODE).get();
            assertThat(node.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Ready");
                assertThat(c.getStatus()).isEqualTo("Unknown");
                assertThat(c.getReason()).isEqualTo("NodeStatusUnknown");
                assertThat(c.getMessage()).isEqualTo("Kubelet stopped posting node status.");
            });
            assertThat(ownedTaints()).containsExactlyInAnyOrder(NodeTaints.UNREACHABLE + ":NoSchedule",
                    NodeTaints.UNREACHABLE + ":NoExecute");
        });
        // A pod without time to tolerate is evicted; one left terminating past its deletion time is removed, as
        // its kubelet is gone.
        await().atMost(Duration.ofSeconds(20)).until(() -> pod("impatient") == null);
        await().atMost(Duration.ofSeconds(20)).until(() -> pod("stuck") == null);
        // The others are marked not ready and wait for their tolerationSeconds.
        await().atMost(Duration.ofSeconds(20)).until(() -> !Pods.isReady(pod("patient")));
        assertThat(pod("patient").getMetadata().getDeletionTimestamp()).isNull();

        // The kubelet comes back: lease renewed, Ready posted; the taints go.
        renewLease();
        kubeletReportsReady();
        await().atMost(Duration.ofSeconds(20)).until(() -> ownedTaints().isEmpty());
        assertThat(pod("patient").getMetadata().getDeletionTimestamp()).isNull();

        // Silent again, now for longer than the 300 s default toleration: the pod is evicted and removed.
        clock.advance(Duration.ofSeconds(41));
        await().atMost(Duration.ofSeconds(20)).until(() -> ownedTaints().contains(NodeTaints.UNREACHABLE
                + ":NoExecute"));
        assertThat(pod("patient")).isNotNull();
        clock.advance(Duration.ofSeconds(301));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(pod("patient"))
                .as(() -> "node " + client.nodes().withName(NODE).get() + " clock " + clock.instant()).isNull());
    }

    /** A clock the test moves forward. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
