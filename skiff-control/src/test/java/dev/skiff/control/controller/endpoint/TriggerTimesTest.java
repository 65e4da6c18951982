package dev.skiff.control.controller.endpoint;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The last-change-trigger-time annotation's value over successive syncs of one service. */
class TriggerTimesTest {

    private static Pod readySince(Pod pod, String time) {
        return new PodBuilder(pod).editStatus().editFirstCondition().withLastTransitionTime(time).endCondition()
                .endStatus().build();
    }

    @Test
    void firstSyncUsesTheServiceCreationThenTheEarliestPodChange() {
        TriggerTimes times = new TriggerTimes();
        Service service = EndpointComputationTest.service(false, "10.96.0.1");
        Pod a = EndpointComputationTest.pod("a", "Running", "10.1.0.1", true, false, "vk-a");
        Pod b = EndpointComputationTest.pod("b", "Running", "10.1.0.2", true, false, "vk-a");

        assertThat(times.compute(service, List.of(a, b))).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(times.compute(service, List.of(a, b))).as("nothing changed").isNull();

        Pod a2 = readySince(a, "2025-01-01T00:05:00Z");
        Pod b2 = readySince(b, "2025-01-01T00:04:00Z");
        assertThat(times.compute(service, List.of(a2, b2))).isEqualTo(Instant.parse("2025-01-01T00:04:00Z"));

        Pod c = readySince(EndpointComputationTest.pod("c", "Running", "10.1.0.3", true, false, "vk-a"),
                "2025-01-01T00:06:00Z");
        assertThat(times.compute(service, List.of(a2, b2, c))).as("a new pod")
                .isEqualTo(Instant.parse("2025-01-01T00:06:00Z"));

        times.forget("ns/web");
        assertThat(times.compute(service, List.of(a2, b2, c))).as("known again from scratch")
                .isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
    }
}
