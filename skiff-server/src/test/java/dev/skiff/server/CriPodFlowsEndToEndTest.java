package dev.skiff.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import dev.skiff.image.testing.TestRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user does with pods, with the real kubectl against {@code skiff server --runtime cri}: every pod here runs
 * in a real containerd sandbox (runc, its own network namespace and cgroup), so logs, exec, probes, volumes and
 * memory limits are the real thing, and a pod matching an ImageCache built from a loopback registry starts without
 * pulling, and pods pull from a registry that needs a login with their Secrets ({@link PrivateRegistryFlow}). One cluster and a handful of pods, each pod proving several behaviours, to keep the sandbox count (and the
 * test's time) small.
 */
class CriPodFlowsEndToEndTest {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String IMAGE = "skiff.local/pause:busybox";

    @TempDir
    Path dir;

    private Kubectl kubectl;

    @Test
    void podsInRealSandboxesBehaveAsKubectlExpects() throws Exception {
        ClusterProcess cluster = ClusterProcess.start(dir.resolve("data"), "127.0.0.1", 0,
                new StorageChoice.Embedded(), RuntimeChoice.CRI, new BuildInfo("test", Optional.empty()));
        try {
            kubectl = new Kubectl(cluster.kubeconfig(), Files.createDirectories(dir.resolve("work")));
            kubectl.run("apply", "-f", kubectl.manifest("pods.yaml", manifests()).toString()).ok();

            initContainerGatesTheMainContainer();
            configMapAndSecretReachTheContainer();
            readinessFlipsReadyAndTheEndpoints();
            logsTailAndFollowARealContainer(cluster);
            aCrashingContainerRestartsWithItsPreviousLogs();
            aFailingInitContainerKeepsThePodInitializing();
            aContainerOverItsMemoryLimitIsOomKilled();
            aMissingImageBacksOff();
            livenessFailureRestartsTheContainer();
            try (TestRegistry registry = TestRegistry.start()) {
                cluster.allowPlainHttpPulls(registry.address());
                aPodMatchingAnImageCacheStartsWithoutPulling(registry);
            }
            try (TestRegistry secured = TestRegistry.withAuth("puller", "s3cret")) {
                cluster.allowPlainHttpPulls(secured.address());
                new PrivateRegistryFlow(kubectl, PATIENCE).podsPullWithTheirSecrets(secured);
            }
        } finally {
            cluster.close();
        }
        assertThat(CriEndToEndTest.containerdProcessesUnder(dir)).isEmpty();
        // The image store (kept for the next start) holds busybox's applet links; removing it here keeps JUnit's
        // temp-dir cleanup from warning about each link.
        try (Stream<Path> paths = Files.walk(dir.resolve("data").resolve("cri"))) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void initContainerGatesTheMainContainer() {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(jsonpath("app",
                "{.status.phase}/{.status.containerStatuses[0].ready}")).isEqualTo("Running/true"));
        // The main container refuses to start (exit 9) unless the init container's file is there.
        assertThat(kubectl.run("logs", "app", "-c", "gate").ok().out()).contains("gate done");
        assertThat(kubectl.run("logs", "app", "-c", "web").ok().out()).contains("main started after init-ran");
        assertThat(jsonpath("app", "{.status.initContainerStatuses[0].state.terminated.reason}/"
                + "{.status.initContainerStatuses[0].state.terminated.exitCode}")).isEqualTo("Completed/0");
        String initFinished = jsonpath("app", "{.status.initContainerStatuses[0].state.terminated.finishedAt}");
        String mainStarted = jsonpath("app", "{.status.containerStatuses[0].state.running.startedAt}");
        assertThat(mainStarted).isGreaterThanOrEqualTo(initFinished);
    }

    private void configMapAndSecretReachTheContainer() {
        assertThat(exec("app", "echo $GREETING; cat /config/greeting; echo; cat /secret/password"))
                .isEqualTo("hello\nhello\ns3cret");
        kubectl.run("patch", "configmap", "settings", "--type=merge", "-p", "{\"data\":{\"greeting\":\"updated\"}}")
                .ok();
        // The mounted file follows the ConfigMap; the environment was resolved at start and keeps its value.
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(exec("app", "cat /config/greeting"))
                .isEqualTo("updated"));
        assertThat(exec("app", "echo $GREETING")).isEqualTo("hello");
    }

    private void readinessFlipsReadyAndTheEndpoints() throws Exception {
        String ip = jsonpath("app", "{.status.podIP}");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/index.html")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("page v1");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(endpoints()).isEqualTo(ip + "/"));
        // The httpGet readiness probe (on the pod's address) fails once the page is gone.
        exec("app", "rm /www/index.html");
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(jsonpath("app", "{.status.conditions[?(@.type==\"Ready\")].status}")).isEqualTo("False");
            assertThat(endpoints()).isEqualTo("/" + ip);
        });
        assertThat(kubectl.run("get", "pod", "app").ok().out()).containsPattern("app\\s+0/1\\s+Running");
        exec("app", "cp /config/page /www/index.html");
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(jsonpath("app", "{.status.conditions[?(@.type==\"Ready\")].status}")).isEqualTo("True");
            assertThat(endpoints()).isEqualTo(ip + "/");
        });
    }

    private void logsTailAndFollowARealContainer(ClusterProcess cluster) throws Exception {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(kubectl.run("logs", "app", "-c", "web", "--tail=1")
                .ok().out()).matches("tick \\d+\n"));
        Path out = dir.resolve("follow.out");
        ProcessBuilder builder = new ProcessBuilder("kubectl", "--kubeconfig=" + cluster.kubeconfig(), "logs", "-f",
                "app", "-c", "web", "--tail=1").redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("HOME", dir.toString());
        Process follow = builder.start();
        try {
            // New lines arrive on the open stream: more ticks than the one --tail=1 started with.
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(Files.readString(out, StandardCharsets.UTF_8)
                    .lines().filter(l -> l.startsWith("tick ")).distinct().count()).isGreaterThanOrEqualTo(3));
            assertThat(follow.isAlive()).isTrue();
        } finally {
            follow.destroyForcibly();
        }
    }

    private void aCrashingContainerRestartsWithItsPreviousLogs() {
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(Integer.parseInt(jsonpath("crasher", "{.status.containerStatuses[0].restartCount}")))
                    .isGreaterThanOrEqualTo(1);
            assertThat(jsonpath("crasher", "{.status.containerStatuses[0].lastState.terminated.exitCode}"))
                    .isEqualTo("3");
            assertThat(kubectl.run("logs", "crasher", "--previous").ok().out()).contains("attempt ending with 3");
        });
    }

    private void aFailingInitContainerKeepsThePodInitializing() {
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(kubectl.run("get", "pod", "initfail").ok().out())
                    .containsPattern("initfail\\s+0/1\\s+Init:(Error|CrashLoopBackOff)\\s+[1-9]");
            assertThat(jsonpath("initfail", "{.status.initContainerStatuses[0].lastState.terminated.exitCode}"))
                    .isEqualTo("1");
        });
        // The main container never ran.
        assertThat(jsonpath("initfail", "{.status.containerStatuses[0].state.waiting.reason}"))
                .isEqualTo("PodInitializing");
        assertThat(kubectl.run("logs", "initfail", "-c", "gate").ok().out()).contains("gate failing");
    }

    private void aContainerOverItsMemoryLimitIsOomKilled() {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(jsonpath("oom",
                "{.status.phase} {.status.containerStatuses[0].state.terminated.reason} "
                        + "{.status.containerStatuses[0].state.terminated.exitCode}"))
                .isEqualTo("Failed OOMKilled 137"));
        assertThat(kubectl.run("get", "pod", "oom").ok().out()).containsPattern("oom\\s+0/1\\s+OOMKilled");
    }

    private void aMissingImageBacksOff() {
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(kubectl.run("get", "pod", "missing").ok().out())
                    .containsPattern("missing\\s+0/1\\s+(ErrImagePull|ImagePullBackOff)");
            assertThat(kubectl.run("get", "events", "--field-selector", "involvedObject.name=missing", "-o",
                    "jsonpath={range .items[*]}{.type}/{.reason}: {.message}{\"\\n\"}{end}").ok().out())
                    .contains("Normal/Pulling: Pulling image \"127.0.0.1:9/skiff/missing:1\"")
                    .contains("Warning/Failed: Failed to pull image \"127.0.0.1:9/skiff/missing:1\"");
        });
    }

    private void aPodMatchingAnImageCacheStartsWithoutPulling(TestRegistry registry) throws Exception {
        kubectl.run("apply", "-f", kubectl.manifest("cache.yaml", """
                apiVersion: eci.alibabacloud.com/v1
                kind: ImageCache
                metadata: {name: busybox-cache}
                spec:
                  images: [%s]
                """.formatted(registry.busybox())).toString()).ok();
        kubectl.run("wait", "--for=jsonpath={.status.phase}=Ready", "imagecache/busybox-cache", "--timeout=120s")
                .ok();
        String cacheId = kubectl.run("get", "imagecache", "busybox-cache", "-o", "jsonpath={.status.imageCacheId}")
                .ok().out().strip();
        kubectl.run("apply", "-f", kubectl.manifest("cached.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: cached
                  annotations: {k8s.aliyun.com/eci-image-cache: "true"}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: main
                    image: %s
                    imagePullPolicy: Always
                    command: ["sleep", "3600"]
                """.formatted(registry.busybox())).toString()).ok();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(jsonpath("cached", "{.status.phase}"))
                .isEqualTo("Running"));
        assertThat(jsonpath("cached", "{.metadata.annotations.k8s\\.aliyun\\.com/eci-matched-image-cache}"))
                .isEqualTo(cacheId);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(kubectl.run("get", "events", "--field-selector",
                "involvedObject.name=cached", "-o", "jsonpath={range .items[*]}{.reason} {end}").ok().out())
                .contains("SuccessfulHitImageCache", "Started")
                .doesNotContain("Pulling"));
    }

    private void livenessFailureRestartsTheContainer() {
        exec("app", "rm /tmp/alive");
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(jsonpath("app", "{.status.containerStatuses[0].restartCount}")).isEqualTo("1");
            assertThat(kubectl.run("get", "events", "--field-selector", "involvedObject.name=app", "-o",
                    "jsonpath={range .items[*]}{.reason}: {.message}{\"\\n\"}{end}").ok().out())
                    .contains("Unhealthy: Liveness probe failed")
                    .contains("failed liveness probe, will be restarted");
        });
        assertThat(kubectl.run("logs", "app", "-c", "web", "--previous").ok().out()).contains("tick ");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(jsonpath("app",
                "{.status.containerStatuses[0].ready}")).isEqualTo("true"));
    }

    private String jsonpath(String pod, String expression) {
        return kubectl.run("get", "pod", pod, "-o", "jsonpath=" + expression).ok().out();
    }

    /** Ready and not-ready addresses of the app Service, as {@code ready/notReady}. */
    private String endpoints() {
        return kubectl.run("get", "endpoints", "app", "-o", "jsonpath={.subsets[*].addresses[*].ip}/"
                + "{.subsets[*].notReadyAddresses[*].ip}").ok().out();
    }

    private String exec(String pod, String script) {
        return kubectl.run("exec", pod, "-c", "web", "--", "sh", "-c", script).ok().out().strip();
    }

    private static String manifests() {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {greeting: hello, page: page v1}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: creds}
                stringData: {password: s3cret}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: app}
                spec:
                  selector: {app: app}
                  ports: [{port: 8080}]
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: app
                  labels: {app: app}
                spec:
                  terminationGracePeriodSeconds: 1
                  volumes:
                  - {name: shared, emptyDir: {}}
                  - {name: config, configMap: {name: settings}}
                  - {name: secret, secret: {secretName: creds}}
                  initContainers:
                  - name: gate
                    image: %1$s
                    imagePullPolicy: Never
                    command: ["sh", "-c", "echo init-ran > /shared/init && echo gate done"]
                    volumeMounts: [{name: shared, mountPath: /shared}]
                  containers:
                  - name: web
                    image: %1$s
                    imagePullPolicy: Never
                    command: ["sh", "-c", "test -f /shared/init || exit 9; echo main started after $(cat /shared/init); mkdir -p /www; cp /config/page /www/index.html; touch /tmp/alive; httpd -f -p 8080 -h /www & i=0; while true; do i=$((i+1)); echo tick $i; sleep 1; done"]
                    env:
                    - name: GREETING
                      valueFrom: {configMapKeyRef: {name: settings, key: greeting}}
                    volumeMounts:
                    - {name: shared, mountPath: /shared}
                    - {name: config, mountPath: /config}
                    - {name: secret, mountPath: /secret}
                    readinessProbe:
                      httpGet: {path: /index.html, port: 8080}
                      periodSeconds: 1
                      failureThreshold: 1
                    livenessProbe:
                      exec: {command: ["cat", "/tmp/alive"]}
                      periodSeconds: 1
                      failureThreshold: 1
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: crasher}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: main
                    image: %1$s
                    imagePullPolicy: Never
                    command: ["sh", "-c", "echo attempt ending with 3; sleep 1; exit 3"]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: initfail}
                spec:
                  terminationGracePeriodSeconds: 1
                  initContainers:
                  - name: gate
                    image: %1$s
                    imagePullPolicy: Never
                    command: ["sh", "-c", "echo gate failing; exit 1"]
                  containers:
                  - name: main
                    image: %1$s
                    imagePullPolicy: Never
                    command: ["sleep", "3600"]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: oom}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: main
                    image: %1$s
                    imagePullPolicy: Never
                    # Doubles a string until the 32 MiB limit stops it: the kernel's OOM killer, exit 137.
                    command: ["awk", "BEGIN { s = \\"x\\"; while (1) s = s s }"]
                    resources:
                      limits: {memory: 32Mi}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: missing}
                spec:
                  containers:
                  - name: main
                    # Nothing listens on port 9 of loopback: the pull fails at once.
                    image: 127.0.0.1:9/skiff/missing:1
                """.formatted(IMAGE);
    }
}
