package dev.skiff.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A StatefulSet on the nodeless cluster with the real kubectl and the simulated runtime: ordered rollout with a
 * headless Service and claims, {@code rollout status/history/undo}, an image update in reverse ordinal order and a
 * scale-down from the highest ordinal.
 */
class StatefulSetEndToEndTest {

    @TempDir
    static Path dir;

    private static ClusterProcess cluster;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() throws Exception {
        cluster = SimulatedCluster.start(dir);
        kubectl = SimulatedCluster.kubectl(cluster, dir);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * The pods the controller deleted, in the order it deleted them: its SuccessfulDelete events, ordered by
     * resourceVersion (events are written once, so that is their creation order), after the first {@code skip}.
     */
    private static List<String> deletions(int skip) {
        String events = kubectl.run("get", "events", "--field-selector", "involvedObject.name=web,reason=SuccessfulDelete",
                "-o", "jsonpath={range .items[*]}{.metadata.resourceVersion} {.message}{\"\\n\"}{end}").ok().out();
        return events.lines().filter(l -> !l.isBlank())
                .sorted(Comparator.comparingLong(l -> Long.parseLong(l.substring(0, l.indexOf(' ')))))
                .map(l -> l.replaceAll(".*delete Pod (\\S+) in StatefulSet.*", "$1"))
                .skip(skip).toList();
    }

    private static String rolloutStatus() {
        return kubectl.run("rollout", "status", "statefulset/web", "--timeout=120s").ok().out();
    }

    @Test
    void orderedRolloutImageUpdateUndoAndScaleDown() throws Exception {
        kubectl.run("apply", "-f", kubectl.manifest("web.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  clusterIP: None
                  selector: {app: web}
                  ports: [{port: 80, name: http}]
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: web}
                spec:
                  serviceName: web
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - {name: nginx, image: nginx:1.27}
                  volumeClaimTemplates:
                  - metadata: {name: www}
                    spec:
                      accessModes: [ReadWriteOnce]
                      resources: {requests: {storage: 1Gi}}
                """).toString()).ok();
        assertThat(rolloutStatus()).contains("roll out complete");
        String pods = kubectl.run("get", "pods", "-l", "app=web", "-o",
                "jsonpath={range .items[*]}{.metadata.name} {.status.phase} {.spec.hostname}.{.spec.subdomain} "
                        + "{.metadata.labels.apps\\.kubernetes\\.io/pod-index}{\"\\n\"}{end}").ok().out();
        assertThat(pods.lines()).containsExactly("web-0 Running web-0.web 0", "web-1 Running web-1.web 1",
                "web-2 Running web-2.web 2");
        assertThat(kubectl.run("get", "pvc", "-o", "name").ok().out().lines())
                .containsExactly("persistentvolumeclaim/www-web-0", "persistentvolumeclaim/www-web-1",
                        "persistentvolumeclaim/www-web-2");
        // Ordered creation: each pod was created only after its predecessor was Running and Ready.
        String created = kubectl.run("get", "pods", "-l", "app=web", "-o",
                "jsonpath={range .items[*]}{.metadata.name}={.metadata.creationTimestamp}{\"\\n\"}{end}").ok().out();
        assertThat(created.lines().sorted(Comparator.comparing(l -> l.substring(l.indexOf('=')))).map(
                l -> l.substring(0, l.indexOf('=')))).containsExactly("web-0", "web-1", "web-2");

        kubectl.run("set", "image", "statefulset/web", "nginx=nginx:1.28").ok();
        assertThat(rolloutStatus()).contains("roll out complete");
        assertThat(deletions(0)).containsExactly("web-2", "web-1", "web-0");
        assertThat(kubectl.run("get", "pods", "-l", "app=web", "-o",
                "jsonpath={.items[*].spec.containers[0].image}").ok().out()).isEqualTo("nginx:1.28 nginx:1.28 nginx:1.28");
        assertThat(kubectl.run("rollout", "history", "statefulset/web").ok().out())
                .containsPattern("(?m)^1\\s").containsPattern("(?m)^2\\s");

        kubectl.run("rollout", "undo", "statefulset/web").ok();
        assertThat(rolloutStatus()).contains("roll out complete");
        assertThat(deletions(3)).containsExactly("web-2", "web-1", "web-0");
        assertThat(kubectl.run("get", "statefulset", "web", "-o",
                "jsonpath={.spec.template.spec.containers[0].image} {.status.readyReplicas} {.status.updatedReplicas}")
                .ok().out()).isEqualTo("nginx:1.27 3 3");
        assertThat(kubectl.run("rollout", "history", "statefulset/web").ok().out())
                .containsPattern("(?m)^2\\s").containsPattern("(?m)^3\\s").doesNotContainPattern("(?m)^1\\s");

        kubectl.run("scale", "statefulset/web", "--replicas=1").ok();
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                assertThat(kubectl.run("get", "pods", "-l", "app=web", "-o", "name").ok().out().lines())
                        .containsExactly("pod/web-0"));
        assertThat(deletions(6)).containsExactly("web-2", "web-1");
        // whenScaled defaults to Retain: the claims of the removed pods stay for a later scale-up.
        assertThat(kubectl.run("get", "pvc", "-o", "name").ok().out().lines()).hasSize(3);
    }
}
