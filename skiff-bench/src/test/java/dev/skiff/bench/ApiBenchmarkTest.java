package dev.skiff.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API benchmark's whole code path (server, fabric8 clients, the mock peer, raw storage, lists, raw and fabric8
 * watches, memory) on a tiny configuration: no figures are judged, only that every phase ran and the report's shape.
 */
class ApiBenchmarkTest {

    private static final String NUMBER = "[0-9]+(\\.[0-9]+)?";

    @TempDir
    Path work;

    @Test
    void aTinyRunEndsWithAWellFormedResultLineAndLeavesNothingBehind() throws Exception {
        ApiBenchmark.Config tiny = new ApiBenchmark.Config("tiny", List.of(2, 4), Duration.ofMillis(300),
                Duration.ofMillis(200), 2, Duration.ofMillis(300), 40, 120, 1, 20, 2, 5, 10, 50);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int status = ApiBenchmark.run(tiny, work, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as(output).isZero();
        assertThat(output).contains("skiff", "fabric8 mock", "raw storage", "list of 40 pods, one namespace",
                "list of 120 pods, all namespaces", "watch, raw HTTP/2: 20 watches", "watch, fabric8 WebSocket: 2");
        assertThat(output.lines().toList().getLast()).matches("RESULT creates_per_s=" + NUMBER
                + " peer_mock_creates_per_s=" + NUMBER + " vs_mock=[0-9]+\\.[0-9]{2} vs_raw_storage=[0-9]+\\.[0-9]{2}"
                + " get_p99_ms=" + NUMBER + " list_50k_ms=" + NUMBER + " watch_p99_ms=" + NUMBER
                + " rss_50k_mib=" + NUMBER);
        try (var left = Files.list(work)) {
            assertThat(left).as("the servers' data are removed").isEmpty();
        }
    }

    @Test
    void theResultLineComparesWithBothPeers() {
        assertThat(ApiBenchmark.resultLine(3000, 1500, 6000, 12.345, 800.4, 40.5, 900.2))
                .isEqualTo("RESULT creates_per_s=3000 peer_mock_creates_per_s=1500 vs_mock=2.00"
                        + " vs_raw_storage=0.50 get_p99_ms=12.35 list_50k_ms=800 watch_p99_ms=40.50 rss_50k_mib=900");
    }
}
