package dev.skiff.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom resources through the fabric8 client against a real server: a cluster-scoped CRD with two versions, objects
 * read in either version, a default added to the schema later showing up on existing objects, watches, a restart,
 * and a CRD deletion held until an instance's finalizer is removed.
 */
class CustomResourcesFabric8Test {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NAME = "gadgets.skiff.example.com";

    private static final String CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: gadgets.skiff.example.com
            spec:
              group: skiff.example.com
              scope: Cluster
              names: {plural: gadgets, kind: Gadget}
              versions:
              - name: v1beta1
                served: true
                storage: false
                deprecated: true
                schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        properties:
                          size: {type: integer}
                          %s
            """;

    @TempDir
    Path dir;

    private ApiServerFixture cluster;
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        cluster = ApiServerFixture.start(dir);
        client = cluster.adminClient();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private CustomResourceDefinition applyCrd(String extraProperty) {
        CustomResourceDefinition crd = Serialization.unmarshal(CRD.formatted(extraProperty),
                CustomResourceDefinition.class);
        CustomResourceDefinition applied = client.apiextensions().v1().customResourceDefinitions().resource(crd)
                .createOr(existing -> existing.update());
        client.apiextensions().v1().customResourceDefinitions().withName(NAME).waitUntilCondition(c ->
                c != null && c.getStatus() != null && c.getStatus().getConditions().stream().anyMatch(cond ->
                        cond.getType().equals("Established") && cond.getStatus().equals("True")),
                20, TimeUnit.SECONDS);
        return applied;
    }

    private static ResourceDefinitionContext gadgets(String version) {
        return new ResourceDefinitionContext.Builder().withGroup("skiff.example.com").withVersion(version)
                .withKind("Gadget").withPlural("gadgets").withNamespaced(false).build();
    }

    private static GenericKubernetesResource gadget(String name, Map<String, Object> spec) {
        GenericKubernetesResource gadget = new GenericKubernetesResource();
        gadget.setApiVersion("skiff.example.com/v1");
        gadget.setKind("Gadget");
        gadget.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
        gadget.setAdditionalProperty("spec", spec);
        return gadget;
    }

    @Test
    void versionsDefaultsWatchesAndRestart() {
        applyCrd("");
        List<String> events = new CopyOnWriteArrayList<>();
        try (var watch = client.genericKubernetesResources(gadgets("v1")).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
                events.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            client.genericKubernetesResources(gadgets("v1")).resource(gadget("one", Map.of("size", 3))).create();
            await().atMost(WAIT).until(() -> events.contains("ADDED one"));
        }

        GenericKubernetesResource asBeta = client.genericKubernetesResources(gadgets("v1beta1")).withName("one").get();
        assertThat(asBeta.getApiVersion()).isEqualTo("skiff.example.com/v1beta1");
        assertThat(asBeta.getMetadata().getGeneration()).isEqualTo(1L);

        // A default added to the schema later shows up on objects already stored, as upstream defaults on read.
        applyCrd("colour: {type: string, default: grey}");
        await().atMost(WAIT).untilAsserted(() -> assertThat(client.genericKubernetesResources(gadgets("v1"))
                .withName("one").get().<Map<String, Object>>get("spec")).containsEntry("colour", "grey"));

        client.close();
        cluster.restart();
        client = cluster.adminClient();
        GenericKubernetesResource afterRestart = client.genericKubernetesResources(gadgets("v1")).withName("one")
                .get();
        assertThat(afterRestart.<Map<String, Object>>get("spec")).containsEntry("size", 3)
                .containsEntry("colour", "grey");
        assertThat(client.genericKubernetesResources(gadgets("v1")).list().getItems()).hasSize(1);
    }

    @Test
    void deletingTheCrdWaitsForItsInstancesFinalizers() {
        applyCrd("");
        GenericKubernetesResource held = gadget("held", Map.of("size", 1));
        held.getMetadata().setFinalizers(List.of("skiff.example.com/hold"));
        client.genericKubernetesResources(gadgets("v1")).resource(held).create();
        client.genericKubernetesResources(gadgets("v1")).resource(gadget("free", Map.of())).create();

        client.apiextensions().v1().customResourceDefinitions().withName(NAME).delete();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(client.genericKubernetesResources(gadgets("v1")).withName("free").get()).isNull();
            assertThat(client.genericKubernetesResources(gadgets("v1")).withName("held").get().getMetadata()
                    .getDeletionTimestamp()).isNotNull();
        });
        CustomResourceDefinition terminating = client.apiextensions().v1().customResourceDefinitions()
                .withName(NAME).get();
        assertThat(terminating.getMetadata().getFinalizers()).contains("customresourcecleanup.apiextensions.k8s.io");
        assertThat(terminating.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Terminating")
                && c.getStatus().equals("True") && c.getReason().equals("InstanceDeletionInProgress"));
        assertThatThrownBy(() -> client.genericKubernetesResources(gadgets("v1"))
                .resource(gadget("late", Map.of())).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(405);
                    assertThat(e.getStatus().getMessage())
                            .isEqualTo("create not allowed while custom resource definition is terminating");
                });

        client.genericKubernetesResources(gadgets("v1")).withName("held")
                .edit(g -> {
                    g.getMetadata().setFinalizers(List.of());
                    return g;
                });
        await().atMost(WAIT).until(() -> client.apiextensions().v1().customResourceDefinitions().withName(NAME)
                .get() == null);
        await().atMost(WAIT).untilAsserted(() -> assertThatThrownBy(() ->
                client.genericKubernetesResources(gadgets("v1")).list())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404)));
    }
}
