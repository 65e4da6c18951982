package dev.skiff.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code skiff server --runtime cri} end to end with the real kubectl: a Deployment's pods run in containerd
 * sandboxes on the virtual nodes, each serving HTTP on the address its node agent assigned; deleting the Deployment
 * removes them, and stopping the server leaves no containerd behind.
 */
class CriEndToEndTest {

    private static final Duration PATIENCE = Duration.ofSeconds(180);

    @TempDir
    Path dir;

    @Test
    void aDeploymentServesHttpFromRealSandboxes() throws Exception {
        ClusterProcess cluster = ClusterProcess.start(dir.resolve("data"), "127.0.0.1", 0,
                new StorageChoice.Embedded(), RuntimeChoice.CRI, new BuildInfo("test", Optional.empty()));
        try {
            Kubectl kubectl = new Kubectl(cluster.kubeconfig(), Files.createDirectories(dir.resolve("work")));
            // The pause image (busybox) is imported at start, so the pods need no registry.
            kubectl.run("apply", "-f", kubectl.manifest("web.yaml", """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: web
                    spec:
                      replicas: 2
                      selector:
                        matchLabels: {app: web}
                      template:
                        metadata:
                          labels: {app: web}
                        spec:
                          terminationGracePeriodSeconds: 2
                          containers:
                          - name: httpd
                            image: skiff.local/pause:busybox
                            imagePullPolicy: Never
                            command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]
                    """).toString()).ok();

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
                String[] pods = kubectl.run("get", "pods", "-l", "app=web", "-o",
                        "jsonpath={range .items[*]}{.metadata.name}={.status.phase}={.status.podIP} {end}").ok()
                        .out().trim().split(" ");
                assertThat(pods).hasSize(2);
                for (String pod : pods) {
                    String[] fields = pod.split("=");
                    assertThat(fields[1]).isEqualTo("Running");
                    // The sandbox's hostname is the pod's name, and its address the one the API shows.
                    String body = http.send(HttpRequest.newBuilder(URI.create("http://" + fields[2] + ":8080/"))
                            .build(), HttpResponse.BodyHandlers.ofString()).body().strip();
                    assertThat(body).isEqualTo(fields[0]);
                }
            });

            kubectl.run("delete", "deployment", "web", "--wait=true").ok();
            await().atMost(PATIENCE).until(() -> kubectl.run("get", "pods", "-l", "app=web", "-o", "name").ok()
                    .out().isBlank());
        } finally {
            cluster.close();
        }
        assertThat(containerdProcessesUnder(dir)).isEmpty();
        // The image store (kept for the next start) holds busybox's applet links; removing it here keeps JUnit's
        // temp-dir cleanup from warning about each link.
        try (Stream<Path> paths = Files.walk(dir.resolve("data").resolve("cri"))) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Command lines of running processes that mention {@code dir} (our containerd and its shims would). */
    static List<String> containerdProcessesUnder(Path dir) throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .map(p -> {
                        try {
                            byte[] raw = Files.readAllBytes(p.resolve("cmdline"));
                            return new String(raw).replace('\0', ' ');
                        } catch (IOException e) {
                            return "";
                        }
                    })
                    .filter(cmd -> cmd.contains("containerd") && cmd.contains(dir.toString()))
                    .toList();
        }
    }
}
