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
                            command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && httpd -p 127.0.0.1:8081 -h /www && exec httpd -f -p 8080 -h /www"]
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

            streamsReachTheSandbox(kubectl, http, cluster.kubeconfig());

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

    /**
     * kubectl's streams through the API server and the node's kubelet server into a real sandbox: exec (its exit
     * code too), exec -i with stdin that must end, cp both ways (exec with tar), port-forward to the pod's httpd on
     * its address and to the second one that listens only on 127.0.0.1 inside the pod (as the kubelet forwards, in
     * the pod's network namespace).
     */
    private void streamsReachTheSandbox(Kubectl kubectl, HttpClient http, Path kubeconfig) throws Exception {
        String pod = kubectl.run("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}").ok()
                .out().trim();
        assertThat(kubectl.run("exec", pod, "--", "hostname").ok().out().trim()).isEqualTo(pod);
        assertThat(kubectl.run("exec", pod, "--", "sh", "-c", "exit 7").exitCode()).isEqualTo(7);
        assertThat(kubectl.run(java.util.Map.of(), "one\ntwo\n", "exec", "-i", pod, "--", "sh", "-c",
                "cat > /tmp/in && wc -l < /tmp/in").ok().out().trim()).isEqualTo("2");

        Path local = Files.writeString(dir.resolve("work").resolve("to-pod.txt"), "through tar\n");
        kubectl.run("cp", local.toString(), pod + ":/tmp/copied.txt").ok();
        assertThat(kubectl.run("exec", pod, "--", "cat", "/tmp/copied.txt").ok().out()).isEqualTo("through tar\n");
        Path back = dir.resolve("work").resolve("from-pod.txt");
        kubectl.run("cp", pod + ":/tmp/copied.txt", back.toString()).ok();
        assertThat(back).hasContent("through tar");

        Process forward = new ProcessBuilder("kubectl", "--kubeconfig=" + kubeconfig,
                "port-forward", "pod/" + pod, ":8080", ":8081").redirectErrorStream(true).start();
        try {
            var output = new java.io.BufferedReader(new java.io.InputStreamReader(forward.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            var forwarding = java.util.regex.Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> (808[01])");
            int port = -1;
            int loopbackPort = -1;
            List<String> seen = new java.util.ArrayList<>();
            for (String line; (port < 0 || loopbackPort < 0) && (line = output.readLine()) != null; ) {
                seen.add(line);
                var m = forwarding.matcher(line);
                if (!m.find()) {
                    continue;
                }
                if (m.group(2).equals("8080")) {
                    port = Integer.parseInt(m.group(1));
                } else {
                    loopbackPort = Integer.parseInt(m.group(1));
                }
            }
            assertThat(port).as("kubectl port-forward said %s", seen).isPositive();
            assertThat(loopbackPort).as("kubectl port-forward said %s", seen).isPositive();
            Thread.ofVirtual().start(() -> {
                try {
                    output.transferTo(java.io.Writer.nullWriter());
                } catch (IOException e) {
                    // kubectl ended
                }
            });
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).body().strip();
            assertThat(body).isEqualTo(pod);
            String inside = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + loopbackPort + "/"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body().strip();
            assertThat(inside).isEqualTo(pod);
        } finally {
            forward.destroy();
            forward.waitFor();
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
