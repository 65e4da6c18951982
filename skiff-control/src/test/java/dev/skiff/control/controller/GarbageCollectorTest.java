package dev.skiff.control.controller;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The garbage collector with the other controllers against a real in-process API server. */
class GarbageCollectorTest {

    private static final String NS = "gc-test";
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

    @Test
    void deletingADeploymentRemovesItsReplicaSetsAndThenTheirPods() {
        Map<String, String> labels = Map.of("app", "web");
        client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().withMatchLabels(labels).endSelector()
                .withTemplate(Fixtures.template(labels, "nginx:1")).endSpec().build()).create();
        await().atMost(WAIT).until(() -> client.pods().inNamespace(NS).list().getItems().size() == 2
                && client.apps().replicaSets().inNamespace(NS).list().getItems().size() == 1);

        client.apps().deployments().inNamespace(NS).withName("web").delete();

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(client.apps().replicaSets().inNamespace(NS).list().getItems()).isEmpty();
            assertThat(client.pods().inNamespace(NS).list().getItems()).isEmpty();
        });
    }

    @Test
    void aReplicaSetWithOneLiveOwnerOfTwoStays() {
        Deployment kept = deployment("kept");
        Deployment gone = deployment("gone");
        // Zero replicas: the test is about the ReplicaSet itself, not about pods.
        client.apps().replicaSets().inNamespace(NS).resource(new ReplicaSetBuilder()
                .withNewMetadata().withName("shared").withOwnerReferences(ref(kept, false), ref(gone, false))
                .endMetadata()
                .withNewSpec().withReplicas(0).withNewSelector().withMatchLabels(Map.of("app", "shared"))
                .endSelector().withTemplate(Fixtures.template(Map.of("app", "shared"), "nginx:1")).endSpec()
                .build()).create();
        // A lone-owner ReplicaSet of the deleted Deployment shows the collector has acted on that deletion.
        client.apps().replicaSets().inNamespace(NS).resource(new ReplicaSetBuilder()
                .withNewMetadata().withName("witness").withOwnerReferences(ref(gone, false)).endMetadata()
                .withNewSpec().withReplicas(0).withNewSelector().withMatchLabels(Map.of("app", "witness"))
                .endSelector().withTemplate(Fixtures.template(Map.of("app", "witness"), "nginx:1")).endSpec()
                .build()).create();

        client.apps().deployments().inNamespace(NS).withName("gone").delete();

        await().atMost(WAIT).until(() -> client.apps().replicaSets().inNamespace(NS).withName("witness").get()
                == null);
        ReplicaSet shared = client.apps().replicaSets().inNamespace(NS).withName("shared").get();
        assertThat(shared).isNotNull();
        assertThat(shared.getMetadata().getDeletionTimestamp()).isNull();
    }

    @Test
    void aPodWhoseOwnerReplicaSetIsDeletedGoes() {
        ReplicaSet owner = client.apps().replicaSets().inNamespace(NS).resource(new ReplicaSetBuilder()
                .withNewMetadata().withName("owner").endMetadata()
                .withNewSpec().withReplicas(0).withNewSelector().withMatchLabels(Map.of("app", "owner"))
                .endSelector().withTemplate(Fixtures.template(Map.of("app", "owner"), "nginx:1")).endSpec()
                .build()).create();
        // Labels that do not match the selector: the ReplicaSet controller leaves the pod to the collector.
        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName("dependent").withLabels(Map.of("app", "other"))
                .withOwnerReferences(ref(owner, false)).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("nginx:1").endContainer().endSpec()
                .build()).create();
        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName("unowned").withLabels(Map.of("app", "other")).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("nginx:1").endContainer().endSpec()
                .build()).create();

        client.apps().replicaSets().inNamespace(NS).withName("owner").delete();

        await().atMost(WAIT).until(() -> client.pods().inNamespace(NS).withName("dependent").get() == null);
        List<Pod> left = client.pods().inNamespace(NS).list().getItems();
        assertThat(left).extracting(p -> p.getMetadata().getName()).containsExactly("unowned");
    }

    private Deployment deployment(String name) {
        Map<String, String> labels = Map.of("app", name);
        // Zero replicas keeps the Deployment controller from creating ReplicaSets of its own.
        return client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(0).withNewSelector().withMatchLabels(labels).endSelector()
                .withTemplate(Fixtures.template(labels, "nginx:1")).endSpec().build()).create();
    }

    private static OwnerReference ref(io.fabric8.kubernetes.api.model.HasMetadata owner, boolean controller) {
        return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(controller).build();
    }
}
