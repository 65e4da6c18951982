package dev.skiff.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's whole code path on a tiny configuration: no figures are judged, only the report's shape. */
class StorageBenchmarkTest {

    private static final String NUMBER = "[0-9]+(\\.[0-9]+)?";

    @TempDir
    Path work;

    @Test
    void aTinyRunEndsWithAWellFormedResultLineAndLeavesNothingBehind() throws Exception {
        StorageBenchmark.Config tiny = new StorageBenchmark.Config("tiny", List.of(1, 4), Duration.ofMillis(200),
                Duration.ofMillis(100), 300, 2, 5, 20, 200, true);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int status = StorageBenchmark.run(tiny, work, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as(output).isZero();
        List<String> lines = output.lines().toList();
        assertThat(lines.getLast()).matches("RESULT embedded_writes_per_s=" + NUMBER
                + " etcd_engine_writes_per_s=" + NUMBER + " raw_etcd_writes_per_s=" + NUMBER
                + " embedded_vs_raw_etcd=[0-9]+\\.[0-9]{2} etcd_engine_vs_raw_etcd=[0-9]+\\.[0-9]{2}"
                + " list_100k_ms=" + NUMBER + " watch_p99_ms=" + NUMBER);
        assertThat(output).contains("embedded", "etcd engine", "raw etcd", "list of 300 keys");
        try (var left = java.nio.file.Files.list(work)) {
            assertThat(left).as("the etcd and embedded data are removed").isEmpty();
        }
    }

    @Test
    void theResultLineFormatsRatiosWithTwoDecimals() {
        assertThat(StorageBenchmark.resultLine(20000, 4000, 8000, 160.4, 3.456))
                .isEqualTo("RESULT embedded_writes_per_s=20000 etcd_engine_writes_per_s=4000"
                        + " raw_etcd_writes_per_s=8000 embedded_vs_raw_etcd=2.50 etcd_engine_vs_raw_etcd=0.50"
                        + " list_100k_ms=160 watch_p99_ms=3.46");
    }
}
