package dev.skiff.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.apiserver.ExternalTools;
import dev.skiff.apiserver.pki.Kubeconfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watches as a user sees them through the real kubectl (v1.32): {@code kubectl get pods -w} prints later changes;
 * when the API server restarts, the watch ends cleanly (kubectl's get -w does not re-watch, against kube-apiserver
 * either); a watch resumed from a resourceVersion taken before the restart ({@code kubectl get --raw}) prints
 * exactly the changes after it; and {@code kubectl get} lists every acknowledged object.
 */
class WatchKubectlTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private ApiServerFixture cluster;
    private KubernetesClient client;
    private Path kubeconfig;
    private Process watcher;

    @BeforeEach
    void start() throws Exception {
        assertThat(ExternalTools.find("kubectl")).as("kubectl on the PATH (end-to-end tests use the real one)").isPresent();
        cluster = ApiServerFixture.start(dir.resolve("server"));
        client = cluster.adminClient();
        kubeconfig = dir.resolve("kubeconfig");
        Kubeconfig.write(kubeconfig, URI.create(cluster.url()), cluster.pki());
    }

    @AfterEach
    void stop() {
        if (watcher != null) {
            watcher.destroyForcibly();
        }
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private List<String> kubectlCommand(String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig=" + kubeconfig,
                "--cache-dir=" + dir.resolve("cache")));
        command.addAll(List.of(args));
        return command;
    }

    private String kubectl(String... args) throws Exception {
        ExternalTools.Result result = ExternalTools.run(kubectlCommand(args), 90);
        assertThat(result.exitCode()).as("kubectl %s: %s%s", String.join(" ", args), result.stderr(),
                result.stdout()).isZero();
        return result.stdout();
    }

    private Pod pod(String name) {
        return client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name)
                .endMetadata().withNewSpec().addNewContainer().withName("main").withImage("busybox").endContainer()
                .endSpec().build()).create();
    }

    /** Starts {@code kubectl args...} in the background, collecting its output lines. */
    private List<String> background(String... args) throws IOException {
        List<String> lines = new CopyOnWriteArrayList<>();
        watcher = new ProcessBuilder(kubectlCommand(args)).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        Process process = watcher;
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        return lines;
    }

    @Test
    void getWatchPrintsLaterChangesAndAResumedWatchSpansARestart() throws Exception {
        pod("before");
        List<String> output = background("get", "pods", "-w", "--output-watch-events");
        await().atMost(WAIT).until(() -> output.stream().anyMatch(l -> l.contains("before")));

        Pod later = pod("later");
        client.pods().inNamespace("default").withName("before").delete();
        await().atMost(WAIT).until(() -> output.stream().anyMatch(l -> l.matches("ADDED\\s+later\\s.*"))
                && output.stream().anyMatch(l -> l.matches("DELETED\\s+before\\s.*")));

        cluster.restart();
        // The stream is cut; kubectl's get -w ends without an error, as it does when kube-apiserver restarts.
        await().atMost(WAIT).until(() -> !watcher.isAlive());
        assertThat(watcher.exitValue()).as("kubectl get -w output: %s", output).isZero();

        client.close();
        client = cluster.adminClient();
        Pod after = pod("after-restart");
        String resumed = kubectl("get", "--raw", "/api/v1/namespaces/default/pods?watch=1&timeoutSeconds=2"
                + "&resourceVersion=" + later.getMetadata().getResourceVersion());
        List<String> events = resumed.lines().filter(l -> !l.isBlank()).toList();
        // Deleting a pod marks it (deletionTimestamp, grace 0 for a pod on no node) and then removes it, as upstream:
        // watchers see MODIFIED, then DELETED.
        assertThat(events).hasSize(3);
        assertThat(events.get(0)).startsWith("{\"type\":\"MODIFIED\"").contains("\"name\":\"before\"")
                .contains("\"deletionTimestamp\"");
        assertThat(events.get(1)).startsWith("{\"type\":\"DELETED\"").contains("\"name\":\"before\"");
        assertThat(events.get(2)).startsWith("{\"type\":\"ADDED\"").contains("\"name\":\"after-restart\"")
                .contains("\"resourceVersion\":\"" + after.getMetadata().getResourceVersion() + "\"");

        assertThat(kubectl("get", "pods", "-o", "name").lines().toList())
                .containsExactly("pod/after-restart", "pod/later");
    }
}
