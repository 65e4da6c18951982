package dev.skiff.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nodeless cluster end to end with the real kubectl: {@code skiff server --runtime simulated} generates virtual
 * nodes from the bootstrapped ECI Profile, the scheduler binds pods to them and the node agents run them on the
 * simulated runtime.
 */
class NodelessEndToEndTest {

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

    /** Virtual nodes are tainted; admission gives pods the toleration, so manifests need none. */
    private static String pod(String name, String annotations) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  annotations: {%s}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: main
                    image: nginx:1.27
                """.formatted(name, annotations);
    }

    @Test
    void theEciProfileGeneratesTwoReadyVirtualNodes() {
        assertThat(kubectl.run("get", "configmap", "eci-profile", "-n", "kube-system",
                "-o", "jsonpath={.data.vSwitchIds}").ok().out()).isEqualTo("vsw-local-a,vsw-local-b");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String nodes = kubectl.run("get", "nodes", "-L", "topology.kubernetes.io/zone,type").ok().out();
            assertThat(nodes).containsPattern("virtual-kubelet-local-a\\s+Ready\\s+agent\\s+.*local-a\\s+virtual-kubelet");
            assertThat(nodes).containsPattern("virtual-kubelet-local-b\\s+Ready\\s+agent\\s+.*local-b\\s+virtual-kubelet");
        });
        assertThat(kubectl.run("get", "node", "virtual-kubelet-local-a", "-o",
                "jsonpath={.spec.taints[0].key}={.spec.taints[0].effect}").ok().out())
                .isEqualTo("virtual-kubelet.io/provider=NoSchedule");
    }

    @Test
    void aPodIsScheduledToAVirtualNodeAndRunsThenDeletes() throws Exception {
        kubectl.run("apply", "-f", kubectl.manifest("web.yaml", pod("web", "")).toString()).ok();
        kubectl.run("wait", "--for=condition=Ready", "pod/web", "--timeout=60s").ok();

        String placed = kubectl.run("get", "pod", "web", "-o",
                "jsonpath={.status.phase} {.spec.nodeName} {.status.podIP}").ok().out();
        assertThat(placed).matches("Running virtual-kubelet-local-[ab] 10\\.[12]\\.\\d+\\.\\d+");
        assertThat(kubectl.run("get", "events", "--field-selector", "involvedObject.name=web").ok().out())
                .contains("Scheduled", "Successfully assigned default/web to virtual-kubelet-local-");

        kubectl.run("delete", "pod", "web", "--timeout=60s").ok();
        assertThat(kubectl.run("get", "pod", "web", "--ignore-not-found").ok().out()).isEmpty();
    }

    @Test
    void aDeploymentRollsOutOverBothZonesUpdatesAndRollsBack() throws Exception {
        kubectl.run("apply", "-f", kubectl.manifest("shop.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: shop}
                spec:
                  replicas: 4
                  selector: {matchLabels: {app: shop}}
                  template:
                    metadata: {labels: {app: shop}}
                    spec:
                      topologySpreadConstraints:
                      - maxSkew: 1
                        topologyKey: topology.kubernetes.io/zone
                        whenUnsatisfiable: DoNotSchedule
                        labelSelector: {matchLabels: {app: shop}}
                      containers:
                      - {name: web, image: nginx:1.27}
                """).toString()).ok();
        assertThat(kubectl.run("rollout", "status", "deployment/shop", "--timeout=120s").ok().out())
                .contains("successfully rolled out");
        String nodes = kubectl.run("get", "pods", "-l", "app=shop", "-o",
                "jsonpath={range .items[*]}{.spec.nodeName} {.status.phase}{\"\\n\"}{end}").ok().out();
        assertThat(nodes.lines().filter(l -> l.equals("virtual-kubelet-local-a Running"))).hasSize(2);
        assertThat(nodes.lines().filter(l -> l.equals("virtual-kubelet-local-b Running"))).hasSize(2);

        kubectl.run("set", "image", "deployment/shop", "web=nginx:1.28").ok();
        kubectl.run("rollout", "status", "deployment/shop", "--timeout=120s").ok();
        assertThat(kubectl.run("rollout", "history", "deployment/shop").ok().out()).contains("1", "2");
        kubectl.run("rollout", "undo", "deployment/shop").ok();
        kubectl.run("rollout", "status", "deployment/shop", "--timeout=120s").ok();
        assertThat(kubectl.run("get", "deployment", "shop", "-o",
                "jsonpath={.spec.template.spec.containers[0].image} {.status.readyReplicas}").ok().out())
                .isEqualTo("nginx:1.27 4");

        kubectl.run("delete", "deployment", "shop", "--timeout=60s").ok();
        // Background cascading deletion: the garbage collector removes the ReplicaSets, then their pods.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(kubectl.run("get", "rs,pods", "-l", "app=shop", "-o", "name").ok().out()).isBlank());
    }

    @Test
    void aPodWhoseContainerExitsSucceeds() throws Exception {
        kubectl.run("apply", "-f", kubectl.manifest("job.yaml",
                pod("once", "skiff.dev/simulated-exit-after: 1s")).toString()).ok();
        kubectl.run("wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/once", "--timeout=60s").ok();
        kubectl.run("delete", "pod", "once", "--timeout=60s").ok();
    }

    @Test
    void anImageCacheIsBuiltAndListedWithItsIdAndPhase() throws Exception {
        assertThat(kubectl.run("get", "crd", "imagecaches.eci.alibabacloud.com").ok().out())
                .contains("imagecaches.eci.alibabacloud.com");
        kubectl.run("apply", "-f", kubectl.manifest("imagecache.yaml", """
                apiVersion: eci.alibabacloud.com/v1
                kind: ImageCache
                metadata:
                  name: web-cache
                spec:
                  images: [nginx:1.27, busybox:1]
                """).toString()).ok();
        kubectl.run("wait", "--for=jsonpath={.status.phase}=Ready", "imagecache/web-cache", "--timeout=60s").ok();
        assertThat(kubectl.run("get", "imagecache").ok().out())
                .containsPattern("NAME\\s+AGE\\s+CACHEID\\s+PHASE\\s+PROGRESS")
                .containsPattern("web-cache\\s+\\S+\\s+imc-[0-9a-z]{20}\\s+Ready\\s+100%");
        // The pod side (decision 032): a pod asking for a cache starts from it without pulling, and is annotated
        // with the cache's id as ECI annotates it; a request no cache fits is a Warning and the pod pulls as usual.
        String cacheId = kubectl.run("get", "imagecache", "web-cache", "-o", "jsonpath={.status.imageCacheId}").ok()
                .out().strip();
        kubectl.run("apply", "-f", kubectl.manifest("cache-pods.yaml",
                pod("cached", "k8s.aliyun.com/eci-image-cache: \"true\"") + "---\n"
                        // An image no cache holds: the simulated node pulls it (images a cache pulled are present).
                        + pod("uncached", "k8s.aliyun.com/eci-image-snapshot-id: imc-missing")
                        .replace("nginx:1.27", "redis:7")).toString()).ok();
        kubectl.run("wait", "--for=jsonpath={.status.phase}=Running", "pod/cached", "pod/uncached",
                "--timeout=60s").ok();
        assertThat(kubectl.run("get", "pod", "cached", "-o",
                "jsonpath={.metadata.annotations.k8s\\.aliyun\\.com/eci-matched-image-cache}").ok().out())
                .isEqualTo(cacheId);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(eventReasons("cached")).contains("Normal/SuccessfulHitImageCache", "Normal/Started")
                    .doesNotContain("Normal/Pulling");
            assertThat(eventReasons("uncached")).contains("Warning/FailedHitImageCache", "Normal/Pulling");
        });
        assertThat(kubectl.run("get", "events", "--field-selector", "involvedObject.name=uncached,reason="
                + "FailedHitImageCache", "-o", "jsonpath={.items[*].message}").ok().out())
                .contains("image cache imc-missing not found");
        assertThat(kubectl.run("get", "pod", "uncached", "-o", "jsonpath={.metadata.annotations}").ok().out())
                .doesNotContain("eci-matched-image-cache");
        kubectl.run("delete", "pod", "cached", "uncached", "--timeout=60s").ok();
        assertThat(kubectl.run("create", "-f", kubectl.manifest("bad-imagecache.yaml", """
                apiVersion: eci.alibabacloud.com/v1
                kind: ImageCache
                metadata:
                  name: bad
                spec:
                  images: [busybox]
                  imagePullSecrets: [no-namespace]
                """).toString()).err()).contains("spec.imagePullSecrets[0]");
        kubectl.run("delete", "imagecache", "web-cache").ok();
    }

    /** The pod's events as type/reason. */
    private static java.util.List<String> eventReasons(String pod) {
        return java.util.List.of(kubectl.run("get", "events", "--field-selector", "involvedObject.name=" + pod, "-o",
                "jsonpath={range .items[*]}{.type}/{.reason} {end}").ok().out().strip().split(" "));
    }

    @Test
    void kubectlRunRunsAndAdmissionAddsTheVirtualNodeToleration() {
        kubectl.run("run", "shell", "--image=busybox:1", "--restart=Never", "--", "sleep", "3600").ok();
        assertThat(kubectl.run("get", "pod", "shell", "-o", "jsonpath={.spec.tolerations[*].key}").ok().out())
                .contains("virtual-kubelet.io/provider");
        kubectl.run("wait", "--for=condition=Ready", "pod/shell", "--timeout=60s").ok();
        kubectl.run("delete", "pod", "shell", "--timeout=60s").ok();
    }

    @Test
    void aPodThatFitsNoNodeIsReportedUnschedulable() throws Exception {
        kubectl.run("apply", "-f", kubectl.manifest("nowhere.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: nowhere}
                spec:
                  nodeSelector: {topology.kubernetes.io/zone: mars-a}
                  tolerations:
                  - {key: virtual-kubelet.io/provider, operator: Exists, effect: NoSchedule}
                  containers:
                  - {name: main, image: nginx}
                """).toString()).ok();
        kubectl.run("wait", "--for=condition=PodScheduled=False", "pod/nowhere", "--timeout=60s").ok();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(kubectl.run("get", "events", "--field-selector", "involvedObject.name=nowhere").ok().out())
                        .contains("FailedScheduling").containsPattern("0/\\d nodes are available"));
        kubectl.run("delete", "pod", "nowhere", "--timeout=60s").ok();
    }

    @Test
    void editingTheProfileAddsAndRemovesVirtualNodesAndRefusesInvalidContent() {
        kubectl.run("patch", "configmap", "eci-profile", "-n", "kube-system", "--type=merge", "-p",
                "{\"data\":{\"vSwitchIds\":\"vsw-local-a,vsw-local-b,vsw-local-c\"}}").ok();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(kubectl.run("get", "nodes", "-L", "topology.kubernetes.io/zone").ok().out())
                        .containsPattern("virtual-kubelet-local-c\\s+Ready\\s+agent\\s+.*local-c"));
        assertThat(kubectl.run("get", "node", "virtual-kubelet-local-c", "-o", "jsonpath={.spec.podCIDR}").ok().out())
                .isEqualTo("10.102.0.0/16");

        kubectl.run("patch", "configmap", "eci-profile", "-n", "kube-system", "--type=merge", "-p",
                "{\"data\":{\"vSwitchIds\":\"vsw-local-a\",\"vSwitchNetworks\":\"{\"}}").ok();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(kubectl.run("get", "events", "-n", "kube-system", "--field-selector",
                        "involvedObject.name=eci-profile").ok().out())
                        .contains("InvalidProfile", "vSwitchNetworks: not a JSON object"));
        assertThat(kubectl.run("get", "nodes", "-o", "name").ok().out())
                .contains("virtual-kubelet-local-a", "virtual-kubelet-local-b", "virtual-kubelet-local-c");

        kubectl.run("patch", "configmap", "eci-profile", "-n", "kube-system", "--type=merge", "-p",
                "{\"data\":{\"vSwitchIds\":\"vsw-local-a,vsw-local-b\",\"vSwitchNetworks\":"
                        + "\"{\\\"vsw-local-a\\\":{\\\"zone\\\":\\\"local-a\\\",\\\"cidr\\\":\\\"10.1.0.0/16\\\"},"
                        + "\\\"vsw-local-b\\\":{\\\"zone\\\":\\\"local-b\\\",\\\"cidr\\\":\\\"10.2.0.0/16\\\"}}\"}}").ok();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(kubectl.run("get", "nodes", "-o", "name").ok().out())
                        .contains("virtual-kubelet-local-a", "virtual-kubelet-local-b")
                        .doesNotContain("virtual-kubelet-local-c"));
    }

    /**
     * Upstream's default spreading puts a Deployment's 4 replicas 2 + 2 on the two virtual nodes without any
     * topologySpreadConstraints; a PodDisruptionBudget then refuses a drain's evictions beyond it, and once it
     * allows one disruption the drain proceeds as the replacements become ready elsewhere.
     */
    @Test
    void replicasSpreadByDefaultAndADisruptionBudgetHoldsBackADrain() {
        String node = "virtual-kubelet-local-a";
        kubectl.run("create", "deployment", "web", "--image=x", "--replicas=4").ok();
        try {
            assertThat(kubectl.run("rollout", "status", "deployment/web", "--timeout=120s").ok().out())
                    .contains("successfully rolled out");
            String placed = kubectl.run("get", "pods", "-l", "app=web", "-o",
                    "jsonpath={range .items[*]}{.spec.nodeName}{\"\\n\"}{end}").ok().out();
            assertThat(placed.lines().filter(l -> l.equals("virtual-kubelet-local-a"))).hasSize(2);
            assertThat(placed.lines().filter(l -> l.equals("virtual-kubelet-local-b"))).hasSize(2);

            kubectl.run("create", "pdb", "web", "--selector=app=web", "--min-available=4").ok();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(kubectl.run("get", "pdb", "web",
                    "-o", "jsonpath={.status.currentHealthy} {.status.disruptionsAllowed} "
                            + "{.status.conditions[0].reason}").ok().out())
                    .isEqualTo("4 0 InsufficientPods"));
            Kubectl.Result refused = kubectl.run("drain", node, "--ignore-daemonsets", "--timeout=8s");
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.out() + refused.err())
                    .contains("Cannot evict pod as it would violate the pod's disruption budget.");
            assertThat(kubectl.run("get", "pods", "-l", "app=web", "--field-selector",
                    "spec.nodeName=" + node, "-o", "name").ok().out().lines()).hasSize(2);

            kubectl.run("patch", "pdb", "web", "--type=merge", "-p", "{\"spec\":{\"minAvailable\":3}}").ok();
            assertThat(kubectl.run("drain", node, "--ignore-daemonsets", "--timeout=120s").ok().out())
                    .contains("evicted", "drained");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(kubectl.run("get", "pods", "-l",
                    "app=web", "-o", "jsonpath={range .items[*]}{.spec.nodeName} {.status.phase}{\"\\n\"}{end}")
                    .ok().out().lines().filter(l -> l.equals("virtual-kubelet-local-b Running"))).hasSize(4));
        } finally {
            kubectl.run("uncordon", node);
            kubectl.run("delete", "pdb", "web", "--ignore-not-found");
            kubectl.run("delete", "deployment", "web", "--ignore-not-found");
        }
    }

    @Test
    void profileSelectorsAddAnnotationsAndLabelsToPodsAtAdmission() throws Exception {
        kubectl.run("apply", "-f", kubectl.manifest("team-a.yaml", """
                apiVersion: v1
                kind: Namespace
                metadata: {name: team-a, labels: {eci-team: a}}
                """).toString()).ok();
        kubectl.run("patch", "configmap", "eci-profile", "-n", "kube-system", "--type=merge", "--patch-file",
                kubectl.manifest("selectors.yaml", """
                        data:
                          selectors: |
                            [{"name": "team-a-specs",
                              "namespaceLabels": {"matchLabels": {"eci-team": "a"}},
                              "effect": {"annotations": {"k8s.aliyun.com/eci-use-specs": "2-4Gi"},
                                         "labels": {"eci-selected": "team-a"}}}]
                        """).toString()).ok();
        // The profile is followed asynchronously: a server-side dry run goes through admission without storing.
        Path probe = kubectl.manifest("probe.yaml", pod("probe", ""));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(kubectl.run("create", "-n", "team-a", "--dry-run=server", "-f", probe.toString(), "-o",
                        "jsonpath={.metadata.annotations.k8s\\.aliyun\\.com/eci-use-specs}").ok().out())
                        .isEqualTo("2-4Gi"));

        kubectl.run("apply", "-n", "team-a", "-f", kubectl.manifest("selected.yaml", pod("selected", "")).toString())
                .ok();
        kubectl.run("apply", "-n", "team-a", "-f", kubectl.manifest("own.yaml",
                pod("own", "k8s.aliyun.com/eci-use-specs: 8-16Gi")).toString()).ok();
        kubectl.run("apply", "-f", kubectl.manifest("elsewhere.yaml", pod("elsewhere", "")).toString()).ok();
        String jsonpath = "jsonpath={.metadata.annotations.k8s\\.aliyun\\.com/eci-use-specs}"
                + " {.metadata.labels.eci-selected}";
        assertThat(kubectl.run("get", "pod", "selected", "-n", "team-a", "-o", jsonpath).ok().out())
                .isEqualTo("2-4Gi team-a");
        assertThat(kubectl.run("get", "pod", "own", "-n", "team-a", "-o", jsonpath).ok().out())
                .isEqualTo("8-16Gi team-a");
        assertThat(kubectl.run("get", "pod", "elsewhere", "-o", jsonpath).ok().out()).isBlank();
        kubectl.run("wait", "--for=condition=Ready", "pod/selected", "-n", "team-a", "--timeout=60s").ok();

        // An invalid selectors value is refused like any invalid profile key; the last good selectors stay.
        kubectl.run("patch", "configmap", "eci-profile", "-n", "kube-system", "--type=merge", "-p",
                "{\"data\":{\"selectors\":\"[{\\\"name\\\":\\\"no-labels\\\"}]\"}}").ok();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(kubectl.run("get", "events", "-n", "kube-system", "--field-selector",
                        "involvedObject.name=eci-profile").ok().out())
                        .contains("InvalidProfile", "selectors[0]: needs namespaceLabels or objectLabels"));
        assertThat(kubectl.run("create", "-n", "team-a", "--dry-run=server", "-f", probe.toString(), "-o",
                jsonpath).ok().out()).isEqualTo("2-4Gi team-a");

        kubectl.run("patch", "configmap", "eci-profile", "-n", "kube-system", "--type=merge", "-p",
                "{\"data\":{\"selectors\":\"[]\"}}").ok();
        kubectl.run("delete", "pod", "selected", "own", "-n", "team-a", "--timeout=60s").ok();
        kubectl.run("delete", "pod", "elsewhere", "--timeout=60s").ok();
    }
}
