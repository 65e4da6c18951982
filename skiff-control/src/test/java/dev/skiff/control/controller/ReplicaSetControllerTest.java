package dev.skiff.control.controller;

import dev.skiff.apiserver.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The ReplicaSet controller against a real in-process API server. */
class ReplicaSetControllerTest {

    private static final String NS = "rs-test";
    private static final Map<String, String> LABELS = Map.of("app", "web");

    @TempDir
    Path dir;
    private TestApiServer server;
    private KubernetesClient client;
    private ScheduledExecutorService executor;
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<ReplicaSet> replicaSets;
    private ReplicaSetController controller;

    @BeforeEach
    void start() throws Exception {
        server = TestApiServer.start(dir);
        client = server.newClient();
        executor = Executors.newScheduledThreadPool(2);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
        pods = client.pods().inAnyNamespace().runnableInformer(0);
        replicaSets = client.apps().replicaSets().inAnyNamespace().runnableInformer(0);
        controller = new ReplicaSetController(client, Clock.systemUTC(), replicaSets, pods, 2, executor);
        pods.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        replicaSets.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        controller.controller().start();
    }

    @AfterEach
    void stop() {
        try {
            if (controller != null) {
                controller.close();
            }
            if (pods != null) {
                pods.close();
            }
            if (replicaSets != null) {
                replicaSets.close();
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

    @Test
    void createsScalesAndReportsStatus() {
        ReplicaSet rs = client.apps().replicaSets().inNamespace(NS).resource(new ReplicaSetBuilder()
                .withNewMetadata().withName("web").withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(3).withNewSelector().withMatchLabels(LABELS).endSelector()
                .withTemplate(Fixtures.template(LABELS, "nginx:1")).endSpec()
                .build()).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> Fixtures.activePods(client, NS).size() == 3);
        List<Pod> created = Fixtures.activePods(client, NS);
        for (Pod pod : created) {
            assertThat(pod.getMetadata().getName()).startsWith("web-");
            assertThat(pod.getMetadata().getLabels()).containsAllEntriesOf(LABELS);
            OwnerReference ref = Keys.controllerOf(pod);
            assertThat(ref).isNotNull();
            assertThat(ref.getUid()).isEqualTo(rs.getMetadata().getUid());
            assertThat(ref.getBlockOwnerDeletion()).isTrue();
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ReplicaSet current = client.apps().replicaSets().inNamespace(NS).withName("web").get();
            assertThat(current.getStatus().getReplicas()).isEqualTo(3);
            assertThat(current.getStatus().getFullyLabeledReplicas()).isEqualTo(3);
            assertThat(current.getStatus().getReadyReplicas()).isEqualTo(0);
        });

        created.forEach(pod -> Fixtures.makeReady(client, pod));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ReplicaSet current = client.apps().replicaSets().inNamespace(NS).withName("web").get();
            assertThat(current.getStatus().getReadyReplicas()).isEqualTo(3);
            assertThat(current.getStatus().getAvailableReplicas()).isEqualTo(3);
            assertThat(current.getStatus().getObservedGeneration()).isEqualTo(current.getMetadata().getGeneration());
        });

        client.apps().replicaSets().inNamespace(NS).withName("web").scale(5);
        await().atMost(Duration.ofSeconds(20)).until(() -> Fixtures.activePods(client, NS).size() == 5);

        // Scaling down deletes the not-ready new pods before the ready ones.
        client.apps().replicaSets().inNamespace(NS).withName("web").scale(3);
        await().atMost(Duration.ofSeconds(20)).until(() -> Fixtures.activePods(client, NS).size() == 3);
        assertThat(Fixtures.activePods(client, NS)).extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(created.stream().map(p -> p.getMetadata().getName()).toList());

        client.apps().replicaSets().inNamespace(NS).withName("web").scale(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> Fixtures.activePods(client, NS).size() == 1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(client.apps().replicaSets()
                .inNamespace(NS).withName("web").get().getStatus().getReplicas()).isEqualTo(1));
        assertThat(client.v1().events().inNamespace(NS).list().getItems())
                .extracting(e -> e.getReason()).contains("SuccessfulCreate", "SuccessfulDelete");
    }

    @Test
    void adoptsMatchingOrphansAndReleasesPodsThatStopMatching() {
        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName("orphan").withNamespace(NS).withLabels(LABELS).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("nginx:1").endContainer().endSpec()
                .build()).create();
        ReplicaSet rs = client.apps().replicaSets().inNamespace(NS).resource(new ReplicaSetBuilder()
                .withNewMetadata().withName("web").withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().withMatchLabels(LABELS).endSelector()
                .withTemplate(Fixtures.template(LABELS, "nginx:1")).endSpec()
                .build()).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Pod orphan = client.pods().inNamespace(NS).withName("orphan").get();
            assertThat(Keys.controllerOf(orphan)).isNotNull();
            assertThat(Keys.controllerOf(orphan).getUid()).isEqualTo(rs.getMetadata().getUid());
            assertThat(Fixtures.activePods(client, NS)).hasSize(2);
        });

        // Relabel the adopted pod: the ReplicaSet lets go of it and makes a replacement.
        client.pods().inNamespace(NS).withName("orphan")
                .edit(p -> new PodBuilder(p).editMetadata().withLabels(Map.of("app", "debug")).endMetadata().build());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(Keys.controllerOf(client.pods().inNamespace(NS).withName("orphan").get())).isNull();
            assertThat(Fixtures.activePods(client, NS)).hasSize(3);
        });
    }
}
