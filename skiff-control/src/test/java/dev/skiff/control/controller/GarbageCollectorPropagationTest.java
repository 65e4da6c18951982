package dev.skiff.control.controller;

import dev.skiff.apiserver.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Foreground and orphan propagation, and owners of any kind (a custom resource), against a real in-process API
 * server with the controllers. One server for the class; each test works in its own namespace.
 */
class GarbageCollectorPropagationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static TestApiServer server;
    private static KubernetesClient client;
    private static ScheduledExecutorService executor;
    private static Controllers controllers;

    @BeforeAll
    static void start() throws Exception {
        server = TestApiServer.start(dir);
        client = server.newClient();
        executor = Executors.newScheduledThreadPool(4);
        controllers = Controllers.start(client, Clock.systemUTC(), executor);
    }

    @AfterAll
    static void stop() {
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

    private static void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
    }

    private static void deployment(String namespace, String name, int replicas) {
        Map<String, String> labels = Map.of("app", name);
        client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(labels).endSelector()
                .withTemplate(Fixtures.template(labels, "nginx:1")).endSpec().build()).create();
        await().atMost(WAIT).until(() -> client.pods().inNamespace(namespace).list().getItems().size() == replicas
                && client.apps().replicaSets().inNamespace(namespace).list().getItems().size() == 1);
    }

    /** One watch event as the test saw it: enough to check the order of marks and removals. */
    private record Seen(String kind, Watcher.Action action, String name, long resourceVersion,
            List<String> finalizers, boolean marked) {
    }

    private static <T extends HasMetadata> Watcher<T> recorder(List<Seen> seen) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, T object) {
                seen.add(new Seen(object.getKind(), action, object.getMetadata().getName(),
                        Long.parseLong(object.getMetadata().getResourceVersion()),
                        object.getMetadata().getFinalizers(), object.getMetadata().getDeletionTimestamp() != null));
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
    }

    @Test
    void foregroundDeletionRemovesReplicaSetsAndPodsBeforeTheDeployment() {
        String ns = "gc-foreground";
        namespace(ns);
        deployment(ns, "web", 2);
        List<Seen> seen = new CopyOnWriteArrayList<>();
        try (Watch d = client.apps().deployments().inNamespace(ns).watch(recorder(seen));
             Watch r = client.apps().replicaSets().inNamespace(ns).watch(recorder(seen));
             Watch p = client.pods().inNamespace(ns).watch(recorder(seen))) {

            client.apps().deployments().inNamespace(ns).withName("web")
                    .withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();

            await().atMost(WAIT).until(() -> seen.stream().anyMatch(s -> s.kind().equals("Deployment")
                    && s.action() == Watcher.Action.DELETED));
        }
        // The deployment was first marked with the foreground finalizer, and went only after its dependents.
        assertThat(seen).anyMatch(s -> s.kind().equals("Deployment") && s.action() == Watcher.Action.MODIFIED
                && s.marked() && s.finalizers().contains("foregroundDeletion"));
        long deploymentGone = seen.stream().filter(s -> s.kind().equals("Deployment")
                && s.action() == Watcher.Action.DELETED).findFirst().orElseThrow().resourceVersion();
        List<Seen> dependentsGone = seen.stream().filter(s -> !s.kind().equals("Deployment")
                && s.action() == Watcher.Action.DELETED).toList();
        assertThat(dependentsGone).extracting(Seen::kind).containsOnly("ReplicaSet", "Pod").contains("ReplicaSet")
                .filteredOn("Pod"::equals).hasSize(2);
        assertThat(dependentsGone).allSatisfy(s -> assertThat(s.resourceVersion()).isLessThan(deploymentGone));
        assertThat(client.apps().replicaSets().inNamespace(ns).list().getItems()).isEmpty();
        assertThat(client.pods().inNamespace(ns).list().getItems()).isEmpty();
    }

    @Test
    void orphanDeletionReleasesTheReplicaSetAndKeepsItsPods() {
        String ns = "gc-orphan";
        namespace(ns);
        deployment(ns, "web", 1);
        String rsName = client.apps().replicaSets().inNamespace(ns).list().getItems().get(0).getMetadata().getName();

        client.apps().deployments().inNamespace(ns).withName("web")
                .withPropagationPolicy(DeletionPropagation.ORPHAN).delete();

        await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(ns).withName("web").get() == null);
        ReplicaSet rs = client.apps().replicaSets().inNamespace(ns).withName(rsName).get();
        assertThat(rs).isNotNull();
        assertThat(rs.getMetadata().getDeletionTimestamp()).isNull();
        assertThat(rs.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(client.pods().inNamespace(ns).list().getItems()).singleElement().satisfies(pod ->
                assertThat(pod.getMetadata().getOwnerReferences()).extracting(OwnerReference::getName)
                        .containsExactly(rsName));
    }

    @Test
    void aCustomResourceOwnsAConfigMapAndInvalidReferencesAreReported() {
        String ns = "gc-custom";
        String other = "gc-custom-other";
        namespace(ns);
        namespace(other);
        // The CRD is created after the collector started: discovery runs again and watches the new resource.
        CustomResourceDefinition crd = Serialization.unmarshal("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.gc.example.com}
                spec:
                  group: gc.example.com
                  scope: Namespaced
                  names: {plural: widgets, kind: Widget}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                """, CustomResourceDefinition.class);
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        client.apiextensions().v1().customResourceDefinitions().withName("widgets.gc.example.com")
                .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions().stream()
                        .anyMatch(x -> x.getType().equals("Established") && x.getStatus().equals("True")),
                        20, TimeUnit.SECONDS);
        ResourceDefinitionContext widgets = new ResourceDefinitionContext.Builder().withGroup("gc.example.com")
                .withVersion("v1").withPlural("widgets").withKind("Widget").withNamespaced(true).build();
        GenericKubernetesResource widget = new GenericKubernetesResource();
        widget.setApiVersion("gc.example.com/v1");
        widget.setKind("Widget");
        widget.setMetadata(new ObjectMetaBuilder().withName("w").build());
        widget = client.genericKubernetesResources(widgets).inNamespace(ns).resource(widget).create();
        OwnerReference ref = new OwnerReferenceBuilder().withApiVersion("gc.example.com/v1").withKind("Widget")
                .withName("w").withUid(widget.getMetadata().getUid()).build();

        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("owned")
                .withOwnerReferences(ref).endMetadata().build()).create();
        // Invalid: a cluster-scoped object naming a namespaced owner can never be resolved: reported, never collected.
        client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("gc-stray-role")
                .withOwnerReferences(ref).endMetadata().build()).create();
        await().atMost(WAIT).untilAsserted(() -> assertThat(client.v1().events().inNamespace("default").list()
                .getItems()).anySatisfy(e -> {
                    assertThat(e.getReason()).isEqualTo("OwnerRefInvalidNamespace");
                    assertThat(e.getInvolvedObject().getName()).isEqualTo("gc-stray-role");
                }));

        // Invalid too: the same reference from another namespace, where no Widget "w" exists. The collector knows
        // the Widget by now (it resolved the kind above only after listing Widgets), so it can tell.
        client.configMaps().inNamespace(other).resource(new ConfigMapBuilder().withNewMetadata().withName("stray")
                .withOwnerReferences(ref).endMetadata().build()).create();
        // Reported, and treated as absent in its own namespace, as upstream: collected.
        await().atMost(WAIT).untilAsserted(() -> assertThat(client.v1().events().inNamespace(other).list()
                .getItems()).anySatisfy(e -> {
                    assertThat(e.getReason()).isEqualTo("OwnerRefInvalidNamespace");
                    assertThat(e.getInvolvedObject().getName()).isEqualTo("stray");
                    assertThat(e.getMessage()).isEqualTo("ownerRef [gc.example.com/v1/Widget, namespace: " + other
                            + ", name: w, uid: " + ref.getUid() + "] does not exist in namespace \"" + other + "\"");
                }));
        await().atMost(WAIT).until(() -> client.configMaps().inNamespace(other).withName("stray").get() == null);
        ConfigMap owned = client.configMaps().inNamespace(ns).withName("owned").get();
        assertThat(owned).isNotNull();

        client.genericKubernetesResources(widgets).inNamespace(ns).withName("w").delete();

        await().atMost(WAIT).until(() -> client.configMaps().inNamespace(ns).withName("owned").get() == null);
        assertThat(client.rbac().clusterRoles().withName("gc-stray-role").get()).isNotNull();
    }
}
