package dev.skiff.node.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedBehaviourTest {

    @Test
    void withoutAnnotationsEveryInstanceSharesTheDefault() {
        assertThat(SimulatedBehaviour.parse(Map.of("app", "web"))).isSameAs(SimulatedBehaviour.DEFAULT);
        assertThat(SimulatedBehaviour.DEFAULT.runTime("main", false)).isNull();
        assertThat(SimulatedBehaviour.DEFAULT.runTime("init", true)).isZero();
    }

    @Test
    void readsPodWideAndPerContainerSettings() {
        SimulatedBehaviour b = SimulatedBehaviour.parse(Map.of(
                "skiff.dev/simulated-exit-after", "5s",
                "skiff.dev/simulated-exit-code", "1",
                "skiff.dev/simulated-exit-after.sidecar", "1m",
                "skiff.dev/simulated-exit-code.sidecar", "0",
                "skiff.dev/simulated-init-exit-after", "2s",
                "skiff.dev/simulated-ignore-sigterm", "True",
                "skiff.dev/simulated-shutdown-after", "3s"));

        assertThat(b.runTime("main", false)).isEqualTo(Duration.ofSeconds(5));
        assertThat(b.exitCode("main", false)).isEqualTo(1);
        assertThat(b.runTime("sidecar", false)).isEqualTo(Duration.ofMinutes(1));
        assertThat(b.exitCode("sidecar", false)).isZero();
        assertThat(b.runTime("setup", true)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.ignoreSigterm()).isTrue();
        assertThat(b.shutdownAfter()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void storageAnnotationsAreValidatedHereAndReadElsewhere() {
        assertThat(SimulatedBehaviour.parse(Map.of("skiff.dev/simulated-ephemeral-storage", "40Mi",
                "skiff.dev/simulated-log-bytes.app", "1Ki"))).isEqualTo(SimulatedBehaviour.DEFAULT);
        assertThatThrownBy(() -> SimulatedBehaviour.parse(Map.of("skiff.dev/simulated-ephemeral-storage.app",
                "lots"))).hasMessageContaining("skiff.dev/simulated-ephemeral-storage.app")
                .hasMessageContaining("not a quantity");
    }

    @Test
    void namesTheAnnotationThatCannotBeUnderstood() {
        assertThatThrownBy(() -> SimulatedBehaviour.parse(Map.of("skiff.dev/simulated-exit-after", "soon")))
                .hasMessageContaining("skiff.dev/simulated-exit-after").hasMessageContaining("soon");
        assertThatThrownBy(() -> SimulatedBehaviour.parse(Map.of("skiff.dev/simulated-exit-code", "256")))
                .hasMessageContaining("not an exit code");
        assertThatThrownBy(() -> SimulatedBehaviour.parse(Map.of("skiff.dev/simulated-ignore-sigterm", "yes")))
                .hasMessageContaining("not true or false");
        assertThatThrownBy(() -> SimulatedBehaviour.parse(Map.of("skiff.dev/simulated-exit-afterr", "1s")))
                .hasMessageContaining("not a known simulation setting");
    }
}
