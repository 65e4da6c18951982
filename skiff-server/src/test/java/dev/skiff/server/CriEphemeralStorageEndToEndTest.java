package dev.skiff.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ephemeral storage and the stats Summary with the real kubectl against {@code skiff server --runtime cri}: a pod
 * whose container writes past its {@code limits.ephemeral-storage} in its real writable layer (containerd's
 * overlayfs snapshot, measured through the CRI) is evicted as the kubelet evicts it; a running pod's container
 * shows real cgroup CPU and memory figures in {@code /api/v1/nodes/NODE/proxy/stats/summary}. The node agent checks
 * every 10 s (the kubelet's housekeeping) and containerd refreshes writable-layer sizes every 10 s, so eviction
 * takes up to about 20 s.
 */
class CriEphemeralStorageEndToEndTest {

    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void aPodWritingPastItsLimitIsEvictedAndTheSummaryShowsARunningContainer() throws Exception {
        ClusterProcess cluster = ClusterProcess.start(dir.resolve("data"), "127.0.0.1", 0,
                new StorageChoice.Embedded(), RuntimeChoice.CRI, new BuildInfo("test", Optional.empty()));
        try {
            Kubectl kubectl = new Kubectl(cluster.kubeconfig(), Files.createDirectories(dir.resolve("work")));
            kubectl.run("apply", "-f", kubectl.manifest("pods.yaml", """
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: hog
                      annotations: {k8s.aliyun.com/eci-eviction-enable: "true"}
                    spec:
                      terminationGracePeriodSeconds: 30
                      containers:
                      - name: writer
                        image: skiff.local/pause:busybox
                        imagePullPolicy: Never
                        command: ["sh", "-c", "dd if=/dev/zero of=/fill bs=1048576 count=40 && echo written && exec sleep 3600"]
                        resources:
                          limits: {ephemeral-storage: 20Mi}
                    ---
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: steady}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers:
                      - name: main
                        image: skiff.local/pause:busybox
                        imagePullPolicy: Never
                        command: ["sh", "-c", "while true; do i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; sleep 1; done"]
                    """).toString()).ok();

            await().atMost(PATIENCE).untilAsserted(() -> assertThat(kubectl.run("get", "pod", "hog", "-o",
                    "jsonpath={.status.phase}/{.status.reason}").ok().out()).isEqualTo("Failed/Evicted"));
            String message = kubectl.run("get", "pod", "hog", "-o", "jsonpath={.status.message}").ok().out();
            assertThat(message).startsWith(
                    "Pod ephemeral local storage usage exceeds the total limit of containers 20Mi. Usage: ");
            // The container was killed, not left running, and the pod is not started again.
            assertThat(kubectl.run("get", "pod", "hog", "-o",
                    "jsonpath={.status.containerStatuses[0].state.terminated.exitCode}").ok().out()).isEqualTo("137");
            assertThat(kubectl.run("get", "events", "--field-selector", "involvedObject.name=hog", "-o",
                    "jsonpath={range .items[*]}{.type}/{.reason}: {.message}{\"\\n\"}{end}").ok().out())
                    .contains("Warning/Evicted: " + message);

            await().atMost(PATIENCE).until(() -> kubectl.run("get", "pod", "steady", "-o",
                    "jsonpath={.status.phase}").ok().out().equals("Running"));
            String node = kubectl.run("get", "pod", "steady", "-o", "jsonpath={.spec.nodeName}").ok().out();
            ObjectMapper json = new ObjectMapper();
            // usageNanoCores needs two samples of the container's cumulative CPU time.
            await().atMost(PATIENCE).untilAsserted(() -> {
                JsonNode summary = json.readTree(kubectl.run("get", "--raw",
                        "/api/v1/nodes/" + node + "/proxy/stats/summary").ok().out());
                assertThat(summary.at("/node/nodeName").asText()).isEqualTo(node);
                JsonNode steady = null;
                for (JsonNode pod : summary.get("pods")) {
                    if (pod.at("/podRef/name").asText().equals("steady")) {
                        steady = pod;
                    }
                }
                assertThat(steady).as("steady in %s", summary).isNotNull();
                JsonNode main = steady.at("/containers/0");
                assertThat(main.get("name").asText()).isEqualTo("main");
                assertThat(main.at("/cpu/usageCoreNanoSeconds").asLong()).isPositive();
                assertThat(main.at("/cpu/usageNanoCores").isNumber()).isTrue();
                assertThat(main.at("/memory/workingSetBytes").asLong()).isPositive();
                assertThat(main.at("/memory/usageBytes").asLong()).isPositive();
                assertThat(steady.at("/ephemeral-storage/capacityBytes").asLong()).isEqualTo(30L << 30);
                assertThat(summary.at("/node/memory/workingSetBytes").asLong())
                        .isGreaterThanOrEqualTo(main.at("/memory/workingSetBytes").asLong());
            });
        } finally {
            cluster.close();
        }
        assertThat(CriEndToEndTest.containerdProcessesUnder(dir)).isEmpty();
        // The image store keeps busybox's applet links; removing it here keeps JUnit's temp-dir cleanup quiet.
        try (Stream<Path> paths = Files.walk(dir.resolve("data").resolve("cri"))) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
