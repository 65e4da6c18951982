package dev.skiff.control.scheduler.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PodRequestsTest {

    @Test
    void sumsContainersAndRoundsUp() {
        PodSpec spec = spec(List.of(c("100m", "1Gi"), c("0.25", "512Mi")), List.of());
        Resources r = PodRequests.of(spec);
        assertThat(r.milliCpu()).isEqualTo(350);
        assertThat(r.memory()).isEqualTo(1536L * 1024 * 1024);
    }

    @Test
    void initContainersCountByTheirMaximum() {
        // Containers 500m + 500m = 1 CPU; the init container needs 2 CPUs alone: the pod needs 2.
        PodSpec spec = spec(List.of(c("500m", "1Gi"), c("500m", "1Gi")), List.of(c("2", "256Mi")));
        Resources r = PodRequests.of(spec);
        assertThat(r.milliCpu()).isEqualTo(2000);
        assertThat(r.memory()).isEqualTo(2L * 1024 * 1024 * 1024);
    }

    @Test
    void sidecarsAddToTheSumAndToLaterInitContainers() {
        Container sidecar = c("1", "1Gi");
        sidecar.setRestartPolicy("Always");
        // init: sidecar (1 CPU, keeps running), then an init container of 2 CPUs runs beside it: 3 at peak.
        // steady state: app 1 CPU + sidecar 1 CPU = 2.
        PodSpec spec = spec(List.of(c("1", "1Gi")), List.of(sidecar, c("2", "0")));
        assertThat(PodRequests.of(spec).milliCpu()).isEqualTo(3000);
        assertThat(PodRequests.of(spec).memory()).isEqualTo(2L * 1024 * 1024 * 1024);
    }

    @Test
    void overheadIsAdded() {
        PodSpec spec = spec(List.of(c("1", "1Gi")), List.of());
        spec.setOverhead(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("120Mi")));
        assertThat(PodRequests.of(spec).milliCpu()).isEqualTo(1250);
        assertThat(PodRequests.of(spec).memory()).isEqualTo((1024L + 120) * 1024 * 1024);
    }

    @Test
    void missingRequestsDefaultToLimitsAndExtendedResourcesAreScalars() {
        Container gpu = new ContainerBuilder().withName("g").withNewResources()
                .addToLimits("nvidia.com/gpu", new Quantity("2")).addToLimits("cpu", new Quantity("2"))
                .addToRequests("cpu", new Quantity("1")).endResources().build();
        Resources r = PodRequests.of(spec(List.of(gpu), List.of()));
        assertThat(r.milliCpu()).isEqualTo(1000);
        assertThat(r.scalar()).containsEntry("nvidia.com/gpu", 2L);
    }

    @Test
    void nonZeroRequestsDefaultMissingCpuAndMemoryForScoring() {
        PodSpec spec = spec(List.of(new ContainerBuilder().withName("a").build(), c("1", null)), List.of());
        long[] nonZero = PodRequests.nonZero(spec);
        assertThat(nonZero[0]).isEqualTo(100 + 1000);
        assertThat(nonZero[1]).isEqualTo(2 * PodRequests.DEFAULT_MEMORY);
        assertThat(PodRequests.of(spec).memory()).isZero();
    }

    private static PodSpec spec(List<Container> containers, List<Container> init) {
        PodSpec spec = new PodSpec();
        spec.setContainers(containers);
        spec.setInitContainers(init);
        return spec;
    }

    private static Container c(String cpu, String memory) {
        ContainerBuilder b = new ContainerBuilder().withName("c");
        var r = b.withNewResources();
        if (cpu != null) {
            r.addToRequests("cpu", new Quantity(cpu));
        }
        if (memory != null) {
            r.addToRequests("memory", new Quantity(memory));
        }
        return r.endResources().build();
    }
}
