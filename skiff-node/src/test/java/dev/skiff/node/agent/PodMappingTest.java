package dev.skiff.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.ContainerStatus;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.InstanceState;
import dev.skiff.node.runtime.InstanceStatus;
import dev.skiff.node.runtime.RestartPolicy;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pod ⇄ instance mapping, without a server. */
class PodMappingTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static Pod pod(Map<String, Quantity> requests, Map<String, Quantity> limits) {
        return new PodBuilder()
                .withNewMetadata().withName("p").withNamespace("ns").withUid("uid-1").endMetadata()
                .withNewSpec().withRestartPolicy("OnFailure").withTerminationGracePeriodSeconds(5L)
                .addNewContainer().withName("app").withImage("img:1")
                .withNewResources().withRequests(requests).withLimits(limits).endResources()
                .addNewEnv().withName("A").withValue("1").endEnv()
                .endContainer()
                .endSpec()
                .build();
    }

    @Test
    void podsMapOntoSpecsWithTheirResourcesPolicyGraceAndAddress() throws Exception {
        Pod pod = pod(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("64Mi")),
                Map.of("cpu", new Quantity("1")));
        InstanceSpec spec = PodSpecs.toSpec(pod, InetAddress.getByName("10.0.0.5"));

        assertThat(spec.id()).isEqualTo(InstanceId.of("uid-1"));
        assertThat(spec.restartPolicy()).isEqualTo(RestartPolicy.ON_FAILURE);
        assertThat(spec.gracePeriod()).isEqualTo(Duration.ofSeconds(5));
        assertThat(spec.podIp().getHostAddress()).isEqualTo("10.0.0.5");
        var app = spec.containers().getFirst();
        assertThat(app.resources().requests().cpuMillis()).isEqualTo(250);
        assertThat(app.resources().requests().memoryBytes()).isEqualTo(64L << 20);
        assertThat(app.resources().limits().cpuMillis()).isEqualTo(1000);
        assertThat(app.env()).singleElement().satisfies(e -> assertThat(e.value()).isEqualTo("1"));
    }

    @Test
    void qosClassFollowsUpstreamsRule() {
        assertThat(PodStatuses.qosClass(pod(null, null))).isEqualTo("BestEffort");
        assertThat(PodStatuses.qosClass(pod(Map.of("cpu", new Quantity("100m")), null))).isEqualTo("Burstable");
        Map<String, Quantity> both = Map.of("cpu", new Quantity("1"), "memory", new Quantity("1Gi"));
        assertThat(PodStatuses.qosClass(pod(null, both))).isEqualTo("Guaranteed");
        assertThat(PodStatuses.qosClass(pod(Map.of("cpu", new Quantity("1000m"), "memory", new Quantity("1Gi")),
                both))).isEqualTo("Guaranteed");
        assertThat(PodStatuses.qosClass(pod(Map.of("cpu", new Quantity("500m")), both))).isEqualTo("Burstable");
    }

    @Test
    void conditionsKeepTheirTransitionTimeWhileUnchanged() throws Exception {
        Pod pod = pod(null, null);
        InstanceStatus running = new InstanceStatus(InstanceId.of("uid-1"), 3, new InstanceState.Running(T0),
                InetAddress.getByName("10.0.0.5"), T0, List.of(),
                List.of(new ContainerStatus("app", "img:1", "sha256:x", "simulated://1",
                        new ContainerState.Running(T0), null, 0, true, true)), null);

        PodStatus first = PodStatuses.of(pod, running, "192.0.2.1", T0.plusSeconds(1), null);
        assertThat(first.getPhase()).isEqualTo("Running");
        assertThat(ready(first).getStatus()).isEqualTo("True");
        pod.setStatus(first);
        PodStatus second = PodStatuses.of(pod, running, "192.0.2.1", T0.plusSeconds(60), null);
        assertThat(ready(second).getLastTransitionTime()).isEqualTo(ready(first).getLastTransitionTime());
        assertThat(second.getStartTime()).isEqualTo(first.getStartTime());

        PodStatus pending = PodStatuses.of(pod, running, "192.0.2.1", T0.plusSeconds(90),
                new String[] {"ProviderFailed", "no capacity"});
        assertThat(pending.getPhase()).isEqualTo("Pending");
        assertThat(pending.getReason()).isEqualTo("ProviderFailed");
        assertThat(ready(pending).getStatus()).isEqualTo("False");
        assertThat(ready(pending).getLastTransitionTime()).isEqualTo(NodeObjects.time(T0.plusSeconds(90)));
    }

    private static PodCondition ready(PodStatus status) {
        return status.getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
    }
}
