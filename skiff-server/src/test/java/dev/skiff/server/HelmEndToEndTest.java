package dev.skiff.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Helm 3 works against Skiff unchanged (issue 3): the real helm and kubectl drive the nodeless cluster (simulated
 * runtime) through a release's whole life with the test chart {@code helm/greeter}, which ships the kinds charts
 * commonly do (workload, configuration, service, ingress, autoscaler, disruption budget, RBAC), a CRD in {@code crds/} and a resource of it, a pre-install hook Job deleted when it succeeds, a
 * {@code lookup} and NOTES.txt.
 */
class HelmEndToEndTest {

    private static final String NS = "shop";
    private static final String WAIT = "--timeout=2m";

    @TempDir
    static Path dir;

    private static ClusterProcess cluster;
    private static Kubectl kubectl;
    private static Helm helm;
    private static String chart;

    @BeforeAll
    static void start() throws Exception {
        chart = Path.of(HelmEndToEndTest.class.getResource("/helm/greeter/Chart.yaml").toURI()).getParent()
                .toString();
        cluster = SimulatedCluster.start(dir);
        kubectl = SimulatedCluster.kubectl(cluster, dir);
        helm = Helm.find(cluster.kubeconfig(), dir.resolve("helm"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String get(String namespace, String resource, String jsonpath) {
        return kubectl.run("-n", namespace, "get", resource, "-o", "jsonpath=" + jsonpath).ok().out();
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Deployment, ConfigMap, Secret and Widget as the chart renders them with these values (one kubectl run). */
    private static void assertRendered(String namespace, String release, String greeting, int replicas,
            String color) {
        assertThat(kubectl.run("-n", namespace, "get", "configmap/" + release + "-config",
                "secret/" + release + "-secret", "widget/" + release, "deployment/" + release, "-o",
                "jsonpath={.items[0].data.greeting} {.items[1].data.token} {.items[2].spec.color}"
                        + " {.items[2].spec.size} {.items[3].spec.replicas}").ok().out())
                .isEqualTo(greeting + " " + base64("token-for-" + greeting) + " " + color + " 3 " + replicas);
    }

    /** After {@code helm ... --wait} returned, the Deployment is rolled out with {@code replicas} ready pods. */
    private static void assertRolledOut(String release, int replicas) {
        String[] status = get(NS, "deployment/" + release, "{.status.readyReplicas} {.status.updatedReplicas}"
                + " {.status.observedGeneration} {.metadata.generation}").split(" ");
        assertThat(status).hasSize(4);
        assertThat(status[0] + " " + status[1]).as("ready and updated replicas").isEqualTo(replicas + " " + replicas);
        assertThat(status[2]).as("observed generation").isEqualTo(status[3]);
    }

    /** {@code helm history} as JSON. */
    private static String history(String release) {
        return helm.run("history", release, "-n", NS, "-o", "json").ok().out();
    }

    @Test
    void aReleaseIsInstalledUpgradedRolledBackAndUninstalled() {
        // install: CRD from crds/ first, the pre-install hook Job run to completion and deleted, then the rest,
        // waited for until the Deployment is ready
        String installed = helm.run("install", "demo", chart, "-n", NS, "--create-namespace", "--wait", WAIT).ok()
                .out();
        assertThat(installed).contains("STATUS: deployed", "Greeter demo says hello with 2 replicas.",
                "Reach it at http://demo.shop.svc/ on port 80.");
        assertRolledOut("demo", 2);
        assertRendered(NS, "demo", "hello", 2, "blue");
        // helm renders before it creates the namespace (--create-namespace), so lookup found none, as anywhere
        assertThat(get(NS, "configmap/demo-config", "{.data.namespace-uid}")).isEqualTo("none");
        assertThat(get("", "crd/widgets.greeter.example.com",
                "{.status.conditions[?(@.type==\"Established\")].status}")).isEqualTo("True");
        assertThat(kubectl.run("-n", NS, "get", "job", "demo-prepare", "--ignore-not-found", "-o", "name").ok()
                .out()).isEmpty();
        assertThat(get(NS, "events", "{.items[?(@.involvedObject.name==\"demo-prepare\")].reason}"))
                .contains("Completed");
        assertThat(get(NS, "service/demo", "{.spec.clusterIP}")).isNotEmpty();
        assertThat(kubectl.run("-n", NS, "get", "secrets", "-l", "owner=helm,name=demo", "-o",
                "jsonpath={.items[*].metadata.name} {.items[*].type}").ok().out())
                .isEqualTo("sh.helm.release.v1.demo.v1 helm.sh/release.v1");

        // kubectl get of what the chart created reads as on any cluster (upstream's printer columns)
        assertThat(kubectl.run("-n", NS, "get", "pdb,hpa,ingress,rolebinding").ok().out())
                .containsPattern("NAME\\s+MIN AVAILABLE\\s+MAX UNAVAILABLE\\s+ALLOWED DISRUPTIONS\\s+AGE")
                .containsPattern("poddisruptionbudget.policy/demo\\s+1\\s+N/A\\s+[01]\\s")
                .containsPattern("NAME\\s+REFERENCE\\s+TARGETS\\s+MINPODS\\s+MAXPODS\\s+REPLICAS\\s+AGE")
                .containsPattern("horizontalpodautoscaler.autoscaling/demo\\s+Deployment/demo\\s+"
                        + "cpu: <unknown>/80%\\s+2\\s+5\\s+0\\s")
                .containsPattern("NAME\\s+CLASS\\s+HOSTS\\s+ADDRESS\\s+PORTS\\s+AGE")
                .containsPattern("ingress.networking.k8s.io/demo\\s+<none>\\s+demo.example.com\\s+80\\s")
                .containsPattern("rolebinding.rbac.authorization.k8s.io/demo-reader\\s+Role/demo-reader\\s");
        assertThat(kubectl.run("auth", "can-i", "watch", "configmaps", "-n", NS, "--as",
                "system:serviceaccount:shop:demo").out().trim()).isEqualTo("yes");

        assertThat(helm.run("list", "-n", NS).ok().out())
                .containsPattern("demo\\s+shop\\s+1\\s+.*deployed\\s+greeter-0.1.0\\s+1.0");
        assertThat(helm.run("list", "-A", "-o", "json").ok().out()).contains("\"name\":\"demo\"");
        assertThat(helm.run("status", "demo", "-n", NS).ok().out()).contains("STATUS: deployed", "REVISION: 1",
                "Greeter demo says hello");
        assertThat(helm.run("get", "manifest", "demo", "-n", NS).ok().out())
                .contains("kind: Deployment", "kind: Widget", "name: demo-config", "kind: ServiceAccount")
                .doesNotContain("demo-prepare");

        // upgrade: helm patches each changed object (strategic merge for built-in kinds, merge patch for the
        // Widget) and waits for the new pods, which the changed ConfigMap's checksum rolled
        String podsBefore = get(NS, "pods", "{.items[*].metadata.name}");
        helm.run("upgrade", "demo", chart, "-n", NS, "--set", "greeting=hi,replicaCount=3,color=red", "--wait",
                WAIT).ok();
        assertRolledOut("demo", 3);
        assertRendered(NS, "demo", "hi", 3, "red");
        assertThat(get(NS, "configmap/demo-config", "{.data.namespace-uid}"))
                .isEqualTo(get("", "namespace/" + NS, "{.metadata.uid}"));
        assertThat(kubectl.run("-n", NS, "get", "replicasets", "-l", "app.kubernetes.io/instance=demo", "-o",
                "name").ok().out().lines()).hasSize(2);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(get(NS, "pods", "{.items[*].metadata.name}").split(" "))
                        .hasSize(3).doesNotContainAnyElementsOf(List.of(podsBefore.split(" "))));
        assertThat(history("demo")).contains("\"revision\":1", "\"status\":\"superseded\"", "\"revision\":2",
                "\"status\":\"deployed\"", "\"description\":\"Upgrade complete\"");

        // rollback to the first revision: a third revision with the first one's values
        helm.run("rollback", "demo", "1", "-n", NS, "--wait", WAIT).ok();
        assertRolledOut("demo", 2);
        assertRendered(NS, "demo", "hello", 2, "blue");
        assertThat(history("demo")).contains("\"revision\":3", "\"description\":\"Rollback to 1\"");
        assertThat(helm.run("status", "demo", "-n", NS).ok().out()).contains("REVISION: 3");

        // helm template piped into kubectl apply: the same objects, without a release (lookup sees nothing)
        kubectl.run("create", "namespace", "plain").ok();
        String rendered = helm.run("template", "plain", chart, "-n", "plain", "--set", "greeting=yo").ok().out();
        assertThat(kubectl.run(Map.of(), rendered, "apply", "-n", "plain", "-f", "-").ok().out())
                .contains("deployment.apps/plain created", "widget.greeter.example.com/plain created",
                        "secret/plain-secret created");
        assertRendered("plain", "plain", "yo", 2, "blue");
        assertThat(get("plain", "configmap/plain-config", "{.data.namespace-uid}")).isEqualTo("none");

        // a server dry run renders with the cluster's data (lookup) and changes nothing
        String dryRun = helm.run("install", "dry", chart, "-n", NS, "--dry-run=server").ok().out();
        assertThat(dryRun).contains("STATUS: pending-install", "name: dry-config",
                "namespace-uid: \"" + get("", "namespace/" + NS, "{.metadata.uid}") + "\"");
        assertThat(kubectl.run("-n", NS, "get", "configmap/dry-config", "--ignore-not-found", "-o", "name").ok()
                .out()).isEmpty();
        assertThat(kubectl.run("-n", NS, "get", "secrets", "-l", "name=dry", "-o", "name").ok().out()).isEmpty();

        // uninstall: the release's objects and its release Secrets go; helm keeps the CRD (and the Widget CRD)
        assertThat(helm.run("uninstall", "demo", "-n", NS, "--wait", WAIT).ok().out())
                .contains("release \"demo\" uninstalled");
        assertThat(kubectl.run("-n", NS, "get", "deployment/demo", "service/demo", "configmap/demo-config",
                "secret/demo-secret", "serviceaccount/demo", "widget/demo", "pdb/demo", "hpa/demo", "ingress/demo",
                "role/demo-reader", "rolebinding/demo-reader", "--ignore-not-found", "-o", "name").ok().out())
                .isEmpty();
        assertThat(kubectl.run("-n", NS, "get", "secrets", "-l", "owner=helm", "-o", "name").ok().out())
                .isEmpty();
        assertThat(helm.run("list", "-n", NS, "-a", "-q").ok().out()).isBlank();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(kubectl.run("-n", NS, "get", "pods", "-o", "name").ok().out()).isEmpty());
        assertThat(kubectl.run("get", "crd", "widgets.greeter.example.com", "-o", "name").ok().out())
                .contains("widgets.greeter.example.com");
    }
}
