package dev.skiff.control.scheduler.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoopConfigTest {

    @Test
    void backoffDoublesFromTheInitialDelayUpToTheCap() {
        LoopConfig config = LoopConfig.defaults();
        assertThat(config.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.backoff(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(config.backoff(5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.backoff(1_000)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new LoopConfig(0, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoopConfig(1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
