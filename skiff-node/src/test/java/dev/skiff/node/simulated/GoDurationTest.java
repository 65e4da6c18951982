package dev.skiff.node.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {

    @Test
    void parsesGoSyntax() {
        assertThat(GoDuration.parse("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(GoDuration.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDuration.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(GoDuration.parse("10us")).isEqualTo(Duration.ofNanos(10_000));
        assertThat(GoDuration.parse("7ns")).isEqualTo(Duration.ofNanos(7));
        assertThat(GoDuration.parse("0")).isZero();
        assertThat(GoDuration.parse("2h45m0.5s")).isEqualTo(Duration.ofHours(2).plusMinutes(45).plusMillis(500));
    }

    @Test
    void refusesWhatGoRefusesAndNegatives() {
        assertThatThrownBy(() -> GoDuration.parse("5")).hasMessageContaining("lacks a unit");
        assertThatThrownBy(() -> GoDuration.parse("5d")).hasMessageContaining("unknown unit 'd'");
        assertThatThrownBy(() -> GoDuration.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoDuration.parse("s")).hasMessageContaining("expected a number");
        assertThatThrownBy(() -> GoDuration.parse("-1s")).hasMessageContaining("negative");
        assertThatThrownBy(() -> GoDuration.parse("1..2s")).hasMessageContaining("malformed");
    }
}
