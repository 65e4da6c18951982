package dev.skiff.control.controller;

import dev.skiff.apiserver.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real kubectl's rollout commands against the controllers: {@code rollout status} completes, {@code rollout
 * history} lists the revisions, {@code rollout undo} goes back. The test marks pods Ready (no kubelet here).
 */
class KubectlRolloutTest {

    private static final String NS = "kubectl-test";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private ControllersCluster cluster;
    private TestApiServer server;
    private KubernetesClient client;
    private Path kubeconfig;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        cluster = ControllersCluster.start(dir, NS);
        server = cluster.server();
        client = cluster.client();
        kubeconfig = dir.resolve("kubeconfig");
        server.writeKubeconfig(kubeconfig);
    }

    @AfterEach
    void stop() {
        started.forEach(Process::destroyForcibly);
        if (cluster != null) {
            cluster.close();
        }
    }

    private Process kubectl(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig=" + kubeconfig, "-n", NS));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(process);
        return process;
    }

    /** Runs kubectl to completion, marking pods ready meanwhile; answers its output. */
    private String run(String... args) throws Exception {
        Process process = kubectl(args);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (Pod pod : Fixtures.activePods(client, NS)) {
                Fixtures.makeReady(client, pod);
            }
            return !process.isAlive();
        });
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(1, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("kubectl %s: %s", String.join(" ", args), output).isZero();
        return output;
    }

    @Test
    void rolloutStatusHistoryAndUndo() throws Exception {
        Path manifest = dir.resolve("deploy.yaml");
        Files.writeString(manifest, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: 3
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                      - name: app
                        image: nginx:1
                """);
        run("apply", "-f", manifest.toString());
        assertThat(run("rollout", "status", "deployment/web", "--timeout=60s"))
                .contains("successfully rolled out");

        run("set", "image", "deployment/web", "app=nginx:2");
        assertThat(run("rollout", "status", "deployment/web", "--timeout=60s"))
                .contains("successfully rolled out");
        String history = run("rollout", "history", "deployment/web");
        assertThat(history).containsPattern("(?m)^1\\s").containsPattern("(?m)^2\\s");

        run("rollout", "undo", "deployment/web", "--to-revision=1");
        assertThat(run("rollout", "status", "deployment/web", "--timeout=60s"))
                .contains("successfully rolled out");
        assertThat(Fixtures.activePods(client, NS)).hasSize(3).allSatisfy(p ->
                assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1"));
        assertThat(run("rollout", "history", "deployment/web")).containsPattern("(?m)^2\\s")
                .containsPattern("(?m)^3\\s").doesNotContainPattern("(?m)^1\\s");
    }
}
