package dev.skiff.bench.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxResultTest {

    @Test
    void percentilesAreNearestRankOverSortedSamples() {
        Samples samples = Samples.of("s", List.of(40.0, 10.0, 30.0, 20.0));
        assertThat(samples.p50()).isEqualTo(20.0);
        assertThat(samples.percentile(75)).isEqualTo(30.0);
        // Fewer than 100 samples: p99 is the largest.
        assertThat(samples.p99()).isEqualTo(40.0);
        assertThat(samples.percentile(100)).isEqualTo(40.0);
        assertThat(Samples.of("one", List.of(7.0)).p50()).isEqualTo(7.0);

        Samples hundred = Samples.of("h", java.util.stream.IntStream.rangeClosed(1, 100).mapToObj(i -> (double) i)
                .toList());
        assertThat(hundred.p50()).isEqualTo(50.0);
        assertThat(hundred.p99()).isEqualTo(99.0);
    }

    @Test
    void emptyAndInvalidPercentiles() {
        assertThat(Samples.of("none", List.of()).p50()).isNaN();
        assertThat(Samples.of("none", List.of()).describe()).contains("no samples");
        assertThatThrownBy(() -> Samples.of("s", List.of(1.0)).percentile(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void describeNamesCountAndPercentiles() {
        assertThat(Samples.of("cached start", List.of(100.0, 300.0, 200.0)).describe())
                .startsWith("cached start")
                .contains("n=3", "p50=  200.0 ms", "p99=  300.0 ms", "min=  100.0", "max=  300.0");
    }

    @Test
    void resultLineHasTheIssuesKeysInOrderAndTheRatio() {
        SandboxResult result = new SandboxResult(300, 200, 912.4, 11.26, 100, 6.04, true, Double.NaN);
        assertThat(result.overheadRatio()).isEqualTo(1.5);
        assertThat(result.resultLine()).isEqualTo("RESULT cached_start_p50_ms=300 raw_ctr_p50_ms=200"
                + " overhead_ratio=1.50 cold_start_p50_ms=912 burst100_s=11.3 image_cache_speedup=6.0");
    }

    @Test
    void aQuickBurstIsNamedByItsSizeAndAMissingCacheFigureIsLeftOut() {
        assertThat(new SandboxResult(250, 100, 800, 3.0, 20, Double.NaN, true, Double.NaN).resultLine())
                .isEqualTo("RESULT cached_start_p50_ms=250 raw_ctr_p50_ms=100 overhead_ratio=2.50"
                        + " cold_start_p50_ms=800 burst20_s=3.0");
        assertThat(new SandboxResult(250, 100, 800, 3.0, 20, 4.25, false, Double.NaN).resultLine())
                .endsWith(" burst20_s=3.0 prepulled_speedup=4.3");
    }

    @Test
    void theCriPodPeerComesAfterTheIssuesKeysWithItsOwnRatio() {
        assertThat(new SandboxResult(390, 138, 569, 14.2, 100, 5.1, true, 260).resultLine())
                .isEqualTo("RESULT cached_start_p50_ms=390 raw_ctr_p50_ms=138 overhead_ratio=2.83"
                        + " cold_start_p50_ms=569 burst100_s=14.2 image_cache_speedup=5.1 cri_pod_p50_ms=260"
                        + " cri_overhead_ratio=1.50");
    }
}
