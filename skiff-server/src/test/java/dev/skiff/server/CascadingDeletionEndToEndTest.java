package dev.skiff.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deletion propagation end to end with the real kubectl on the nodeless cluster (simulated runtime):
 * {@code --cascade=foreground} keeps the Deployment, marked with the {@code foregroundDeletion} finalizer, until its
 * ReplicaSet and pods are gone; {@code --cascade=orphan} leaves the ReplicaSet and its pods running without the
 * owner reference; a ConfigMap owned by a custom resource is collected when the custom resource goes.
 */
class CascadingDeletionEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private static ClusterProcess cluster;
    private static Kubectl kubectl;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = SimulatedCluster.start(dir);
        kubectl = SimulatedCluster.kubectl(cluster, dir);
        // A client of the test's own, only to watch the order in which objects are marked and removed.
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(cluster.kubeconfig()))).build();
    }

    @AfterAll
    static void stop() {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    private static String deployment(String name, int replicas) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s, labels: {app: %1$s}}
                spec:
                  replicas: %2$d
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata:
                      labels: {app: %1$s}
                      # Pods take a moment to stop, so the foreground deletion visibly waits for them.
                      annotations: {skiff.dev/simulated-shutdown-after: 2s}
                    spec:
                      containers:
                      - {name: web, image: nginx:1.27}
                """.formatted(name, replicas);
    }

    /** One watch event: kind, action, name, resourceVersion, and the deletion mark with its finalizers. */
    private record Seen(String kind, Watcher.Action action, String name, long resourceVersion, boolean marked,
            List<String> finalizers) {
    }

    private static <T extends HasMetadata> Watcher<T> recorder(List<Seen> seen) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, T o) {
                seen.add(new Seen(o.getKind(), action, o.getMetadata().getName(),
                        Long.parseLong(o.getMetadata().getResourceVersion()),
                        o.getMetadata().getDeletionTimestamp() != null, o.getMetadata().getFinalizers()));
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
    }

    @Test
    void foregroundOrphanAndCustomResourceOwners() throws Exception {
        kubectl.run("apply", "-f", kubectl.manifest("fg.yaml", deployment("fg", 2)).toString()).ok();
        kubectl.run("apply", "-f", kubectl.manifest("orph.yaml", deployment("orph", 1)).toString()).ok();
        kubectl.run("rollout", "status", "deployment/fg", "--timeout=120s").ok();
        kubectl.run("rollout", "status", "deployment/orph", "--timeout=120s").ok();

        // Foreground: kubectl waits until the deployment is gone; the watch shows what happened meanwhile.
        List<Seen> seen = new CopyOnWriteArrayList<>();
        try (Watch d = client.apps().deployments().inNamespace("default").withLabel("app", "fg")
                .watch(recorder(seen));
             Watch r = client.apps().replicaSets().inNamespace("default").withLabel("app", "fg")
                     .watch(recorder(seen));
             Watch p = client.pods().inNamespace("default").withLabel("app", "fg").watch(recorder(seen))) {
            kubectl.run("delete", "deployment", "fg", "--cascade=foreground", "--timeout=60s").ok();
            await().atMost(WAIT).until(() -> seen.stream().anyMatch(s -> s.kind().equals("Deployment")
                    && s.action() == Watcher.Action.DELETED));
        }
        assertThat(seen).anyMatch(s -> s.kind().equals("Deployment") && s.marked()
                && s.finalizers().contains("foregroundDeletion"));
        long deploymentGone = seen.stream().filter(s -> s.kind().equals("Deployment")
                && s.action() == Watcher.Action.DELETED).findFirst().orElseThrow().resourceVersion();
        List<Seen> dependentsGone = seen.stream().filter(s -> !s.kind().equals("Deployment")
                && s.action() == Watcher.Action.DELETED).toList();
        assertThat(dependentsGone).extracting(Seen::kind).filteredOn("Pod"::equals).hasSize(2);
        assertThat(dependentsGone).extracting(Seen::kind).filteredOn("ReplicaSet"::equals).hasSize(1);
        assertThat(dependentsGone).allSatisfy(s -> assertThat(s.resourceVersion()).isLessThan(deploymentGone));
        assertThat(kubectl.run("get", "rs,pods", "-l", "app=fg", "-o", "name").ok().out()).isBlank();

        // Orphan: the ReplicaSet and its pod stay, released from the deployment.
        String rs = kubectl.run("get", "rs", "-l", "app=orph", "-o", "jsonpath={.items[0].metadata.name}").ok().out();
        kubectl.run("delete", "deployment", "orph", "--cascade=orphan", "--timeout=60s").ok();
        assertThat(kubectl.run("get", "deployment", "orph", "--ignore-not-found").ok().out()).isEmpty();
        assertThat(kubectl.run("get", "rs", rs, "-o", "jsonpath={.metadata.ownerReferences}").ok().out()).isEmpty();
        assertThat(kubectl.run("get", "pods", "-l", "app=orph", "-o",
                "jsonpath={.items[*].status.phase} {.items[*].metadata.ownerReferences[0].name}").ok().out())
                .isEqualTo("Running " + rs);
        // And the ReplicaSet deleted with orphan leaves its pod running without any owner.
        kubectl.run("delete", "rs", rs, "--cascade=orphan", "--timeout=60s").ok();
        assertThat(kubectl.run("get", "pods", "-l", "app=orph", "-o",
                "jsonpath={.items[*].status.phase}|{.items[*].metadata.ownerReferences}").ok().out())
                .isEqualTo("Running|");

        // A custom resource (its CRD created while the cluster runs) owning a ConfigMap.
        kubectl.run("apply", "-f", kubectl.manifest("crd.yaml", """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.e2e.example.com}
                spec:
                  group: e2e.example.com
                  scope: Namespaced
                  names: {plural: widgets, singular: widget, kind: Widget}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                """).toString()).ok();
        kubectl.run("wait", "--for=condition=Established", "crd/widgets.e2e.example.com", "--timeout=60s").ok();
        await().atMost(WAIT).untilAsserted(() -> kubectl.run("apply", "-f", kubectl.manifest("widget.yaml", """
                apiVersion: e2e.example.com/v1
                kind: Widget
                metadata: {name: w}
                """).toString()).ok());
        String uid = kubectl.run("get", "widget", "w", "-o", "jsonpath={.metadata.uid}").ok().out();
        kubectl.run("apply", "-f", kubectl.manifest("owned.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: owned-by-widget
                  ownerReferences:
                  - {apiVersion: e2e.example.com/v1, kind: Widget, name: w, uid: %s}
                data: {k: v}
                """.formatted(uid)).toString()).ok();
        assertThat(kubectl.run("get", "configmap", "owned-by-widget", "-o", "name").ok().out())
                .isEqualTo("configmap/owned-by-widget\n");

        kubectl.run("delete", "widget", "w", "--timeout=60s").ok();
        await().atMost(WAIT).untilAsserted(() -> assertThat(kubectl.run("get", "configmap", "owned-by-widget",
                "--ignore-not-found", "-o", "name").ok().out()).isEmpty());
    }
}
