package dev.skiff.control.controller;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Deployment and ReplicaSet controllers together against a real in-process API server; the test plays the
 * kubelet by marking pods Ready.
 */
class DeploymentControllerTest {

    private static final String NS = "deploy-test";
    private static final Map<String, String> LABELS = Map.of("app", "web");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private ControllersCluster cluster;
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        cluster = ControllersCluster.start(dir, NS);
        client = cluster.client();
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private Deployment deployment(int replicas, String image) {
        return new DeploymentBuilder()
                .withNewMetadata().withName("web").withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(LABELS).endSelector()
                .withTemplate(Fixtures.template(LABELS, image))
                .withProgressDeadlineSeconds(600)
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(0)).endRollingUpdate()
                .endStrategy()
                .endSpec().build();
    }

    private Deployment get() {
        return client.apps().deployments().inNamespace(NS).withName("web").get();
    }

    private List<ReplicaSet> replicaSets() {
        return client.apps().replicaSets().inNamespace(NS).list().getItems();
    }

    private void readyAll() {
        for (Pod pod : Fixtures.activePods(client, NS)) {
            Fixtures.makeReady(client, pod);
        }
    }

    /** Awaits the rollout, marking new pods ready as they appear (the kubelet's part). */
    private void awaitRolledOut(int replicas) {
        await().atMost(WAIT).untilAsserted(() -> {
            readyAll();
            Deployment d = get();
            assertThat(d.getStatus()).isNotNull();
            assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
            assertThat(d.getStatus().getReplicas()).isEqualTo(replicas);
            assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(replicas);
            assertThat(d.getStatus().getReadyReplicas()).isEqualTo(replicas);
            assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(replicas);
            assertThat(d.getStatus().getUnavailableReplicas()).isEqualTo(0);
            assertThat(Fixtures.activePods(client, NS)).hasSize(replicas);
        });
    }

    private static String image(PodTemplateSpec template) {
        return template.getSpec().getContainers().get(0).getImage();
    }

    @Test
    void createsScalesRollsOutAndRollsBack() {
        client.apps().deployments().inNamespace(NS).resource(deployment(3, "nginx:1")).create();
        awaitRolledOut(3);
        List<ReplicaSet> first = replicaSets();
        assertThat(first).hasSize(1);
        ReplicaSet rs1 = first.get(0);
        String hash = rs1.getMetadata().getLabels().get(PodTemplateHash.LABEL);
        assertThat(rs1.getMetadata().getName()).isEqualTo("web-" + hash);
        assertThat(rs1.getMetadata().getAnnotations()).containsEntry(DeploymentController.REVISION, "1")
                .containsEntry(DeploymentController.DESIRED_REPLICAS, "3")
                .containsEntry(DeploymentController.MAX_REPLICAS, "4");
        assertThat(Fixtures.activePods(client, NS)).allSatisfy(p -> assertThat(p.getMetadata().getLabels())
                .containsEntry(PodTemplateHash.LABEL, hash));
        Deployment d = get();
        assertThat(d.getMetadata().getAnnotations()).containsEntry(DeploymentController.REVISION, "1");
        DeploymentCondition progressing = DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING);
        assertThat(progressing.getReason()).isEqualTo("NewReplicaSetAvailable");
        assertThat(DeploymentConditions.get(d.getStatus(), DeploymentConditions.AVAILABLE).getStatus())
                .isEqualTo("True");

        client.apps().deployments().inNamespace(NS).withName("web").scale(5);
        awaitRolledOut(5);
        client.apps().deployments().inNamespace(NS).withName("web").scale(1);
        awaitRolledOut(1);
        client.apps().deployments().inNamespace(NS).withName("web").scale(3);
        awaitRolledOut(3);
        assertThat(replicaSets()).hasSize(1);

        // A new image rolls out a second ReplicaSet. With maxSurge 1 and maxUnavailable 0 there are never more
        // than 4 pods, and never fewer than 3 available ones.
        AtomicInteger maxPods = new AtomicInteger();
        AtomicInteger minAvailable = new AtomicInteger(Integer.MAX_VALUE);
        client.apps().deployments().inNamespace(NS).withName("web").edit(x -> new DeploymentBuilder(x).editSpec()
                .editTemplate().editSpec().editFirstContainer().withImage("nginx:2").endContainer().endSpec()
                .endTemplate().endSpec().build());
        await().atMost(WAIT).untilAsserted(() -> {
            List<Pod> active = Fixtures.activePods(client, NS);
            maxPods.accumulateAndGet(active.size(), Math::max);
            minAvailable.accumulateAndGet((int) active.stream().filter(Pods::isReady).count(), Math::min);
            // Mark ready one pod at a time, so the surge limit is exercised at each step.
            active.stream().filter(p -> !Pods.isReady(p)).findFirst().ifPresent(p -> Fixtures.makeReady(client, p));
            Deployment current = get();
            assertThat(current.getStatus().getObservedGeneration())
                    .isEqualTo(current.getMetadata().getGeneration());
            assertThat(current.getStatus().getUpdatedReplicas()).isEqualTo(3);
            assertThat(current.getStatus().getAvailableReplicas()).isEqualTo(3);
            assertThat(current.getStatus().getReplicas()).isEqualTo(3);
            assertThat(active).hasSize(3).allSatisfy(p -> assertThat(image(
                    new PodTemplateSpecBuilder().withSpec(p.getSpec()).build())).isEqualTo("nginx:2"));
        });
        assertThat(maxPods.get()).isLessThanOrEqualTo(4);
        assertThat(minAvailable.get()).isGreaterThanOrEqualTo(3);
        List<ReplicaSet> second = replicaSets();
        assertThat(second).hasSize(2);
        ReplicaSet rs2 = second.stream().filter(rs -> !rs.getMetadata().getName().equals(rs1.getMetadata().getName()))
                .findFirst().orElseThrow();
        assertThat(rs2.getMetadata().getAnnotations()).containsEntry(DeploymentController.REVISION, "2");
        assertThat(get().getMetadata().getAnnotations()).containsEntry(DeploymentController.REVISION, "2");

        // Rollback as `kubectl rollout undo --to-revision=1` does it: the deployment gets revision 1's template
        // (without the hash label); the controller reuses that ReplicaSet and gives it revision 3.
        PodTemplateSpec previous = DeploymentReplicaSets.withoutHash(
                client.apps().replicaSets().inNamespace(NS).withName(rs1.getMetadata().getName()).get()
                        .getSpec().getTemplate());
        client.apps().deployments().inNamespace(NS).withName("web")
                .edit(x -> new DeploymentBuilder(x).editSpec().withTemplate(previous).endSpec().build());
        AtomicReference<ReplicaSet> rolledBack = new AtomicReference<>();
        await().atMost(WAIT).untilAsserted(() -> {
            readyAll();
            ReplicaSet current = client.apps().replicaSets().inNamespace(NS).withName(rs1.getMetadata().getName()).get();
            rolledBack.set(current);
            assertThat(current.getMetadata().getAnnotations()).containsEntry(DeploymentController.REVISION, "3");
            assertThat(current.getSpec().getReplicas()).isEqualTo(3);
            Deployment d2 = get();
            assertThat(d2.getStatus().getUpdatedReplicas()).isEqualTo(3);
            assertThat(d2.getStatus().getAvailableReplicas()).isEqualTo(3);
            assertThat(d2.getStatus().getReplicas()).isEqualTo(3);
        });
        assertThat(replicaSets()).hasSize(2);
        assertThat(Fixtures.activePods(client, NS)).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0)
                .getImage()).isEqualTo("nginx:1"));
    }

    @Test
    void recreateScalesOldDownBeforeNewUpAndHistoryIsPruned() {
        Deployment recreate = new DeploymentBuilder(deployment(2, "nginx:1")).editSpec()
                .withNewStrategy().withType("Recreate").endStrategy().withRevisionHistoryLimit(1).endSpec().build();
        client.apps().deployments().inNamespace(NS).resource(recreate).create();
        awaitRolledOut(2);
        for (String image : List.of("nginx:2", "nginx:3")) {
            client.apps().deployments().inNamespace(NS).withName("web").edit(x -> new DeploymentBuilder(x).editSpec()
                    .editTemplate().editSpec().editFirstContainer().withImage(image).endContainer().endSpec()
                    .endTemplate().endSpec().build());
            await().atMost(WAIT).untilAsserted(() -> {
                List<Pod> active = Fixtures.activePods(client, NS);
                // Recreate never runs old and new pods side by side.
                assertThat(active.stream().map(p -> p.getSpec().getContainers().get(0).getImage()).distinct())
                        .hasSizeLessThanOrEqualTo(1);
                active.forEach(p -> Fixtures.makeReady(client, p));
                Deployment d = get();
                assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(2);
                assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(2);
                assertThat(d.getStatus().getReplicas()).isEqualTo(2);
                assertThat(active).hasSize(2).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0)
                        .getImage()).isEqualTo(image));
            });
        }
        // revisionHistoryLimit 1: the current ReplicaSet and one old one.
        await().atMost(WAIT).untilAsserted(() -> assertThat(replicaSets()).hasSize(2));
    }

    @Test
    void pausedDeploymentDoesNotRollOutUntilResumed() {
        client.apps().deployments().inNamespace(NS).resource(deployment(2, "nginx:1")).create();
        awaitRolledOut(2);
        client.apps().deployments().inNamespace(NS).withName("web").edit(x -> new DeploymentBuilder(x).editSpec()
                .withPaused(true).editTemplate().editSpec().editFirstContainer().withImage("nginx:2").endContainer()
                .endSpec().endTemplate().endSpec().build());
        await().atMost(WAIT).untilAsserted(() -> {
            Deployment d = get();
            assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
            assertThat(DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING).getReason())
                    .isEqualTo("DeploymentPaused");
        });
        assertThat(replicaSets()).hasSize(1);
        assertThat(Fixtures.activePods(client, NS)).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0)
                .getImage()).isEqualTo("nginx:1"));

        client.apps().deployments().inNamespace(NS).withName("web")
                .edit(x -> new DeploymentBuilder(x).editSpec().withPaused(false).endSpec().build());
        awaitRolledOut(2);
        assertThat(Fixtures.activePods(client, NS)).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0)
                .getImage()).isEqualTo("nginx:2"));
        assertThat(replicaSets()).hasSize(2);
    }
}
