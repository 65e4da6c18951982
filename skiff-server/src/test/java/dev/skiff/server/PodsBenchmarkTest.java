package dev.skiff.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.bench.PodsBenchmark;
import dev.skiff.bench.PodsTargets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code skiff bench pods} in miniature: a scratch nodeless cluster, a few pods per step, the RESULT line. */
class PodsBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void aTinyRunScalesTheDeploymentThroughEveryStepAndPrintsTheResultLine() throws Exception {
        ClusterProcess cluster = ClusterProcess.start(dir.resolve("data"), "127.0.0.1", 0,
                new StorageChoice.Embedded(), RuntimeChoice.SIMULATED, new BuildInfo("test", Optional.empty()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        // The target closes the cluster, also when the run fails.
        int exit = PodsBenchmark.run(new PodsBenchmark.Config("tiny", 3, 10, 12, 20, 4),
                PodsTargets.sameProcess(cluster.kubeconfig(), "test cluster", cluster::close), out);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed).contains("| burst | 3 -> 10 |", "| scale in | 10 -> 0 |", "| to the top | 0 -> 12 |");
        String last = printed.strip().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(last).matches("RESULT pods_per_s=\\d+ startup_p99_ms=\\d+ pods_10k_s=[\\d.]+"
                + " pods_50k_rss_mib=\\d+ scale_in_10k_s=[\\d.]+ vs_peer=[\\d.]+");
    }
}
