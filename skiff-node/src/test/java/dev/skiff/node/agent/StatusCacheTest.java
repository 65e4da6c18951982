package dev.skiff.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.ContainerStatus;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceState;
import dev.skiff.node.runtime.InstanceStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusCacheTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** One snapshot of the instance, seen {@code atSecond} seconds after T0. */
    private record Step(String name, InstanceStatus instance, int atSecond) {
    }

    private static InstanceStatus waiting(long version, String reason) throws Exception {
        return new InstanceStatus(InstanceId.of("uid-1"), version, new InstanceState.Pending(reason, ""),
                InetAddress.getByName("10.0.0.5"), T0, List.of(),
                List.of(new ContainerStatus("app", "img:1", "", "", new ContainerState.Waiting("ContainerCreating",
                        ""), null, 0, false, false)), null);
    }

    private static InstanceStatus running(long version) throws Exception {
        return new InstanceStatus(InstanceId.of("uid-1"), version, new InstanceState.Running(T0.plusSeconds(3)),
                InetAddress.getByName("10.0.0.5"), T0, List.of(),
                List.of(new ContainerStatus("app", "img:1", "sha256:x", "simulated://1",
                        new ContainerState.Running(T0.plusSeconds(3)), null, 0, true, true)), null);
    }

    /** Runs the steps as the reconciler does (the informer's pod never catches up); returns the steps written. */
    private static List<String> written(Pod pod, List<Step> steps, List<PodStatus> sent) {
        StatusCache cache = new StatusCache();
        List<String> names = new ArrayList<>();
        for (Step s : steps) {
            Optional<PodStatus> next = cache.next(pod, s.instance(), "192.0.2.1", T0.plusSeconds(s.atSecond()),
                    null);
            next.ifPresent(status -> {
                cache.written("uid-1", status);
                names.add(s.name());
                sent.add(status);
            });
        }
        return names;
    }

    @Test
    void instanceChangesThatDoNotChangeTheApiStatusWriteNothing() throws Exception {
        List<Step> steps = List.of(
                new Step("created", waiting(1, "ContainerCreating"), 0),
                new Step("pulling", waiting(2, "Pulling"), 1),
                new Step("creating sandbox", waiting(3, "Creating"), 2),
                new Step("running", running(4), 3),
                new Step("same running, later", running(5), 60));
        List<PodStatus> sent = new ArrayList<>();

        assertThat(written(PodMappingTest.pod(null, null), steps, sent)).containsExactly("created", "running");
    }

    @Test
    void transitionTimesComeFromTheLastWriteEvenWhenTheInformerHasNotSeenIt() throws Exception {
        List<Step> steps = List.of(
                new Step("created", waiting(1, "ContainerCreating"), 0),
                new Step("running", running(2), 3));
        List<PodStatus> sent = new ArrayList<>();
        written(PodMappingTest.pod(null, null), steps, sent);

        // PodScheduled has been True since the first write; Ready became True at the second.
        assertThat(condition(sent.get(1), "PodScheduled").getLastTransitionTime())
                .isEqualTo(NodeObjects.time(T0));
        assertThat(condition(sent.get(1), "Ready").getLastTransitionTime())
                .isEqualTo(NodeObjects.time(T0.plusSeconds(3)));
    }

    @Test
    void aForgottenPodIsWrittenAgain() throws Exception {
        StatusCache cache = new StatusCache();
        Pod pod = PodMappingTest.pod(null, null);
        PodStatus first = cache.next(pod, running(1), "192.0.2.1", T0, null).orElseThrow();
        cache.written("uid-1", first);
        assertThat(cache.next(pod, running(2), "192.0.2.1", T0.plusSeconds(5), null)).isEmpty();

        cache.forget("uid-1");
        assertThat(cache.next(pod, running(3), "192.0.2.1", T0.plusSeconds(5), null)).isPresent();
    }

    private static PodCondition condition(PodStatus status, String type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }
}
