package dev.skiff.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl logs} through the API server's proxy to the virtual nodes' kubelet servers, on the simulated
 * runtime (whose containers log when they start, get SIGTERM and exit): {@code -c}, {@code --tail},
 * {@code --timestamps}, {@code --since}/{@code --since-time}, {@code --previous}, {@code -f}, and the errors for a
 * missing pod or container.
 */
class PodLogsEndToEndTest {

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

    @Test
    void kubectlLogsWithItsFlags() throws Exception {
        kubectl.run("apply", "-f", kubectl.manifest("logs.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: two
                spec:
                  containers:
                  - {name: first, image: nginx:1.27}
                  - {name: second, image: busybox:1}
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: crashing
                  annotations: {skiff.dev/simulated-exit-after: 1s, skiff.dev/simulated-exit-code: "3"}
                spec:
                  restartPolicy: Always
                  containers:
                  - {name: app, image: busybox:1}
                """).toString()).ok();
        kubectl.run("wait", "--for=condition=Ready", "pod/two", "--timeout=60s").ok();

        // -c picks the container; without it kubectl takes the first one and says so.
        assertThat(kubectl.run("logs", "two", "-c", "second").ok().out())
                .contains("container second started from image busybox:1").doesNotContain("container first");
        Kubectl.Result defaulted = kubectl.run("logs", "two").ok();
        assertThat(defaulted.out()).contains("container first started");
        assertThat(defaulted.err()).contains("Defaulted container \"first\"");

        // --timestamps prefixes each line with its RFC 3339 time; --tail keeps the last lines.
        String stamped = kubectl.run("logs", "two", "-c", "first", "--timestamps", "--tail=1").ok().out();
        assertThat(stamped.lines().toList()).hasSize(1);
        Instant at = Instant.parse(stamped.substring(0, stamped.indexOf(' ')));
        assertThat(at).isBefore(Instant.now().plusSeconds(1));
        assertThat(kubectl.run("logs", "two", "-c", "first", "--since=1h").ok().out()).contains("started");
        assertThat(kubectl.run("logs", "two", "-c", "first", "--since-time=" + Instant.now().plusSeconds(3600))
                .ok().out()).isEmpty();

        // --previous shows the attempt before the last restart.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(kubectl.run("get", "pod", "crashing",
                "-o", "jsonpath={.status.containerStatuses[0].restartCount}").ok().out()).isNotIn("", "0"));
        assertThat(kubectl.run("logs", "crashing", "--previous").ok().out())
                .contains("container app started", "exited with code 3");

        // Errors as kube-apiserver words them.
        assertThat(kubectl.run("logs", "nobody").err()).contains("pods \"nobody\" not found");
        assertThat(kubectl.run("logs", "two", "-c", "third").err())
                .contains("container third is not valid for pod two");

        // -f streams: the SIGTERM line written when the pod is deleted arrives on the open stream, which then ends.
        Path out = dir.resolve("follow.out");
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig=" + cluster.kubeconfig(),
                "logs", "-f", "two", "-c", "first"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("HOME", dir.toString());
        Process follow = builder.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> read(out).contains("container first started"));
            assertThat(follow.isAlive()).isTrue();
            kubectl.run("delete", "pod", "two", "--wait=false").ok();
            assertThat(follow.waitFor(60, TimeUnit.SECONDS)).as("kubectl logs -f ends with the container").isTrue();
            assertThat(read(out)).contains("[simulated] received SIGTERM");
            assertThat(follow.exitValue()).isZero();
        } finally {
            follow.destroyForcibly();
        }
        kubectl.run("delete", "pod", "crashing", "--wait=false").ok();
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
