package dev.skiff.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceSpecTest {

    private static final InstanceId ID = InstanceId.of("0b5e6a1c-3f0e-4a51-9a3e-5c8b3f6a7d21");

    @Test
    void defaultsLikeAPod() {
        InstanceSpec spec = InstanceSpec.of(ID, "default", "web", List.of(ContainerSpec.of("web", "nginx:1.27")));

        assertThat(spec.restartPolicy()).isEqualTo(RestartPolicy.ALWAYS);
        assertThat(spec.gracePeriod()).isEqualTo(Duration.ofSeconds(30));
        assertThat(spec.containers().getFirst().imagePullPolicy()).isEqualTo(ImagePullPolicy.IF_NOT_PRESENT);
        assertThat(spec.container("web")).isPresent();
        assertThat(spec.podIp()).isNull();
    }

    @Test
    void refusesSpecsNoPodCouldHave() {
        assertThatThrownBy(() -> InstanceSpec.of(ID, "default", "web", List.of()))
                .hasMessageContaining("at least one container");
        assertThatThrownBy(() -> InstanceSpec.of(ID, "default", "web", List.of(ContainerSpec.of("a", "x"),
                ContainerSpec.of("a", "y")))).hasMessageContaining("two containers named 'a'");
        assertThatThrownBy(() -> InstanceSpec.of(ID, "default", "web", List.of(ContainerSpec.of("a", "x")))
                .withInitContainers(List.of(ContainerSpec.of("a", "y"))))
                .hasMessageContaining("two containers named 'a'");
        assertThatThrownBy(() -> InstanceSpec.of(ID, "default", "web", List.of(ContainerSpec.of("a", "x")))
                .withGracePeriod(Duration.ofSeconds(-1))).hasMessageContaining("negative");
        assertThatThrownBy(() -> InstanceId.of(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requestsAddUpTheContainersButNotTheInitContainers() {
        ContainerSpec big = ContainerSpec.of("a", "x").withResources(new ResourceRequirements(
                ComputeResources.of(500, 1L << 30), ComputeResources.NONE));
        ContainerSpec small = ContainerSpec.of("b", "x").withResources(new ResourceRequirements(
                ComputeResources.of(250, 1L << 29), ComputeResources.NONE));
        InstanceSpec spec = InstanceSpec.of(ID, "default", "web", List.of(big, small))
                .withInitContainers(List.of(ContainerSpec.of("init", "x").withResources(big.resources())));

        assertThat(spec.requests()).isEqualTo(ComputeResources.of(750, (1L << 30) + (1L << 29)));
    }

    @Test
    void restartPoliciesDecideLikeTheKubelet() {
        assertThat(RestartPolicy.ALWAYS.restarts(0)).isTrue();
        assertThat(RestartPolicy.ON_FAILURE.restarts(0)).isFalse();
        assertThat(RestartPolicy.ON_FAILURE.restarts(1)).isTrue();
        assertThat(RestartPolicy.NEVER.restarts(1)).isFalse();
    }
}
