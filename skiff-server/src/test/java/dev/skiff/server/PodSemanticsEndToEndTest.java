package dev.skiff.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pod semantics of issue 5 with the real kubectl on the nodeless cluster (simulated runtime): sandbox admission,
 * a pod held in CreateContainerConfigError until its ConfigMap exists, and readiness driving Endpoints. Simulated
 * pods serve nothing, so the readiness probe names an explicit host, an HTTP server of this test on loopback whose
 * answer the test switches: this shows the agent's probe result flowing to the Ready condition and the endpoints
 * controller, not a pod serving; the real runtime's flows probe pods on their own addresses.
 */
class PodSemanticsEndToEndTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private static ClusterProcess cluster;
    private static Kubectl kubectl;
    private static HttpServer probeTarget;
    private static volatile int readiness = 503;

    @BeforeAll
    static void start() throws Exception {
        probeTarget = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        probeTarget.createContext("/ready", exchange -> {
            exchange.sendResponseHeaders(readiness, -1);
            exchange.close();
        });
        probeTarget.start();
        cluster = SimulatedCluster.start(dir);
        kubectl = SimulatedCluster.kubectl(cluster, dir);
    }

    @AfterAll
    static void stop() {
        try {
            if (kubectl != null) {
                // Pods' volumes live on the node's data dir until their pods are deleted.
                kubectl.run("delete", "pods", "--all", "--wait=true", "--timeout=60s");
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            if (probeTarget != null) {
                probeTarget.stop(0);
            }
        }
    }

    private static String jsonpath(String what, String path) {
        return kubectl.run("get", what, "-o", "jsonpath=" + path).ok().out();
    }

    @Test
    void sandboxAdmissionConfigErrorsAndReadinessDrivenEndpoints() throws Exception {
        Kubectl.Result refused = kubectl.run("apply", "-f", kubectl.manifest("privileged.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: root}
                spec:
                  hostNetwork: true
                  containers:
                  - name: app
                    image: busybox:1.36
                    securityContext: {privileged: true}
                """).toString());
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("Pod \"root\" is invalid", "spec.hostNetwork: Forbidden",
                "spec.containers[0].securityContext.privileged: Forbidden");

        kubectl.run("apply", "-f", kubectl.manifest("late.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: late}
                spec:
                  containers:
                  - name: app
                    image: busybox:1.36
                    env:
                    - name: MODE
                      valueFrom: {configMapKeyRef: {name: settings, key: mode}}
                """).toString()).ok();
        await().atMost(TIMEOUT).until(() -> jsonpath("pod/late", "{.status.containerStatuses[0].state.waiting.reason}"),
                "CreateContainerConfigError"::equals);
        assertThat(jsonpath("pod/late", "{.status.containerStatuses[0].state.waiting.message}"))
                .isEqualTo("configmap \"settings\" not found");
        kubectl.run("create", "configmap", "settings", "--from-literal=mode=fast").ok();
        await().atMost(TIMEOUT).until(() -> jsonpath("pod/late", "{.status.phase}"), "Running"::equals);

        kubectl.run("apply", "-f", kubectl.manifest("web.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports: [{port: 80}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: web, labels: {app: web}}
                spec:
                  containers:
                  - name: app
                    image: busybox:1.36
                    ports: [{containerPort: 80}]
                    readinessProbe:
                      httpGet: {host: 127.0.0.1, port: %d, path: /ready}
                      periodSeconds: 1
                    volumeMounts: [{name: settings, mountPath: /etc/settings}]
                  volumes:
                  - name: settings
                    configMap: {name: settings}
                """.formatted(probeTarget.getAddress().getPort())).toString()).ok();
        await().atMost(TIMEOUT).until(() -> jsonpath("pod/web", "{.status.phase}"), "Running"::equals);
        String ip = jsonpath("pod/web", "{.status.podIP}");
        await().atMost(TIMEOUT).until(() -> jsonpath("endpoints/web", "{.subsets[0].notReadyAddresses[0].ip}"),
                ip::equals);
        assertThat(jsonpath("pod/web", "{.status.conditions[?(@.type==\"Ready\")].status}")).isEqualTo("False");

        readiness = 200;
        await().atMost(TIMEOUT).until(() -> jsonpath("endpoints/web", "{.subsets[0].addresses[0].ip}"), ip::equals);
        assertThat(jsonpath("pod/web", "{.status.conditions[?(@.type==\"Ready\")].status}")).isEqualTo("True");
    }
}
