package dev.skiff.control.controller.statefulset;

import dev.skiff.control.controller.ControllersCluster;
import dev.skiff.control.controller.Pods;
import dev.skiff.control.controller.Times;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The StatefulSet controller against a real in-process API server: ordered creation, claims, status, failed and
 * deleted pods, a rollout, scale-down with claim retention. The test plays the kubelet: it marks pods Running and
 * Ready, and finishes graceful deletions.
 */
class StatefulSetControllerTest {

    private static final String NS = "sts-test";
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

    private StatefulSet set(int replicas, String image) {
        return new StatefulSetBuilder().withNewMetadata().withName("db").withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName("db")
                .withNewSelector().withMatchLabels(Map.of("app", "db")).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "db")).endMetadata()
                .withNewSpec().addNewContainer().withName("db").withImage(image).endContainer().endSpec()
                .endTemplate()
                .addToVolumeClaimTemplates(new PersistentVolumeClaimBuilder().withNewMetadata().withName("data")
                        .endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                        .addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi"))
                        .endResources().endSpec().build())
                .withNewPersistentVolumeClaimRetentionPolicy().withWhenDeleted("Retain").withWhenScaled("Delete")
                .endPersistentVolumeClaimRetentionPolicy()
                .endSpec().build();
    }

    private Pod pod(String name) {
        return client.pods().inNamespace(NS).withName(name).get();
    }

    /** Plays the kubelet: Running and Ready for live pods, final removal for pods being deleted. */
    private void kubelet() {
        for (Pod pod : client.pods().inNamespace(NS).list().getItems()) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).withGracePeriod(0).delete();
            } else if (!Pods.isReady(pod) && !"Failed".equals(pod.getStatus().getPhase())) {
                setPhase(pod, "Running", true);
            }
        }
    }

    private void setPhase(Pod pod, String phase, boolean ready) {
        Pod updated = new PodBuilder(pod).editOrNewStatus().withPhase(phase).withConditions(new PodConditionBuilder()
                .withType("Ready").withStatus(ready ? "True" : "False")
                .withLastTransitionTime(Times.format(Instant.now())).build()).endStatus().build();
        client.pods().inNamespace(NS).resource(updated).updateStatus();
    }

    private List<String> podNames() {
        return client.pods().inNamespace(NS).list().getItems().stream().map(p -> p.getMetadata().getName())
                .sorted().toList();
    }

    private StatefulSet current() {
        return client.apps().statefulSets().inNamespace(NS).withName("db").get();
    }

    @Test
    void createsInOrderRecreatesRollsOutAndScalesDown() {
        client.apps().statefulSets().inNamespace(NS).resource(set(3, "pg:1")).create();

        // OrderedReady: db-1 is not created while db-0 is not ready.
        await().atMost(WAIT).until(() -> pod("db-0") != null);
        assertThat(pod("db-0").getSpec().getVolumes().get(0).getPersistentVolumeClaim().getClaimName())
                .isEqualTo("data-db-0");
        assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("data-db-0").get()).isNotNull();
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> pod("db-1") == null);
        await().atMost(WAIT).until(() -> {
            kubelet();
            return podNames().equals(List.of("db-0", "db-1", "db-2")) && current().getStatus() != null
                    && Integer.valueOf(3).equals(current().getStatus().getReadyReplicas());
        });
        StatefulSet ready = current();
        assertThat(ready.getStatus().getCurrentRevision()).isEqualTo(ready.getStatus().getUpdateRevision())
                .startsWith("db-");
        assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(ready.getMetadata().getGeneration());
        List<ControllerRevision> revisions = client.apps().controllerRevisions().inNamespace(NS).list().getItems();
        assertThat(revisions).singleElement().satisfies(r -> {
            assertThat(r.getMetadata().getName()).isEqualTo(ready.getStatus().getUpdateRevision());
            assertThat(r.getRevision()).isEqualTo(1L);
            // The data survives the round trip through the server and the client.
            assertThat(Revisions.template(r).getSpec().getContainers().get(0).getImage()).isEqualTo("pg:1");
        });

        // A failed pod and a pod deleted by the user both come back under the same name.
        setPhase(pod("db-1"), "Failed", false);
        String failedUid = pod("db-1").getMetadata().getUid();
        await().atMost(WAIT).until(() -> {
            kubelet();
            Pod p = pod("db-1");
            return p != null && !p.getMetadata().getUid().equals(failedUid) && Pods.isReady(p);
        });
        String deletedUid = pod("db-2").getMetadata().getUid();
        client.pods().inNamespace(NS).withName("db-2").delete();
        await().atMost(WAIT).until(() -> {
            kubelet();
            Pod p = pod("db-2");
            return p != null && !p.getMetadata().getUid().equals(deletedUid) && Pods.isReady(p);
        });

        // Rollout: pods are replaced highest ordinal first.
        // A strategic merge patch without resourceVersion, like kubectl set image (the controller writes status).
        client.apps().statefulSets().inNamespace(NS).withName("db").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"db\",\"image\":\"pg:2\"}]}}}}");
        await().atMost(WAIT).until(() -> {
            kubelet();
            StatefulSet s = current();
            return s.getStatus().getObservedGeneration().equals(s.getMetadata().getGeneration())
                    && Integer.valueOf(3).equals(s.getStatus().getUpdatedReplicas())
                    && Integer.valueOf(3).equals(s.getStatus().getReadyReplicas());
        });
        List<Pod> rolled = client.pods().inNamespace(NS).list().getItems();
        assertThat(rolled).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage())
                .isEqualTo("pg:2"));
        Instant created2 = Times.parse(pod("db-2").getMetadata().getCreationTimestamp());
        Instant created0 = Times.parse(pod("db-0").getMetadata().getCreationTimestamp());
        assertThat(created2).isBeforeOrEqualTo(created0);
        assertThat(current().getStatus().getCurrentRevision()).isEqualTo(current().getStatus().getUpdateRevision());
        assertThat(client.apps().controllerRevisions().inNamespace(NS).list().getItems()).hasSize(2);

        // Scale down with whenScaled: Delete: the removed pods' claims become theirs (the GC takes them along).
        client.apps().statefulSets().inNamespace(NS).withName("db").scale(1);
        await().atMost(WAIT).until(() -> {
            kubelet();
            return podNames().equals(List.of("db-0"));
        });
        PersistentVolumeClaim kept = client.persistentVolumeClaims().inNamespace(NS).withName("data-db-0").get();
        assertThat(kept.getMetadata().getOwnerReferences()).isNullOrEmpty();
        // The removed pods owned their claims, so the garbage collector (started with the controllers) removes them.
        await().atMost(WAIT).until(() -> client.persistentVolumeClaims().inNamespace(NS).withName("data-db-2").get()
                == null && client.persistentVolumeClaims().inNamespace(NS).withName("data-db-1").get() == null);
        assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("data-db-0").get()).isNotNull();
        await().atMost(WAIT).until(() -> Integer.valueOf(1).equals(current().getStatus().getReplicas()));
    }
}
