package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.ClusterSnapshot;
import dev.skiff.control.scheduler.framework.FilterStatus;
import dev.skiff.control.scheduler.testing.TestPod;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.skiff.control.scheduler.testing.Harness.filter;
import static dev.skiff.control.scheduler.testing.Harness.snapshot;
import static dev.skiff.control.scheduler.testing.TestNode.node;
import static dev.skiff.control.scheduler.testing.TestPod.pod;
import static org.assertj.core.api.Assertions.assertThat;

class NodeResourcesFitTest {

    /** A node with 2 CPUs, 4Gi, 10Gi ephemeral storage, 2 GPUs and room for 3 pods; 1 CPU and 1Gi already used. */
    private static ClusterSnapshot snapshotWithUsage() {
        Node node = node("n").cpu("2").memory("4Gi").pods(3).resource("ephemeral-storage", "10Gi")
                .resource("nvidia.com/gpu", "2").build();
        Pod existing = pod("existing").nodeName("n").cpu("1").memory("1Gi").build();
        return snapshot(List.of(node), List.of(existing));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("fits", pod("p").cpu("1").memory("3Gi"), null),
                Arguments.of("best-effort fits", pod("p"), null),
                Arguments.of("cpu", pod("p").cpu("1500m"), List.of("Insufficient cpu")),
                Arguments.of("memory", pod("p").memory("3100Mi"), List.of("Insufficient memory")),
                Arguments.of("cpu and memory together", pod("p").cpu("2").memory("4Gi"),
                        List.of("Insufficient cpu", "Insufficient memory")),
                Arguments.of("ephemeral storage", pod("p").request("ephemeral-storage", "11Gi"),
                        List.of("Insufficient ephemeral-storage")),
                Arguments.of("extended resource", pod("p").request("nvidia.com/gpu", "3"),
                        List.of("Insufficient nvidia.com/gpu")),
                Arguments.of("unknown extended resource", pod("p").request("example.com/fpga", "1"),
                        List.of("Insufficient example.com/fpga")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void checksRequestsAgainstWhatIsLeft(String name, TestPod pod, List<String> reasons) {
        FilterStatus status = filter(new NodeResourcesFit(), snapshotWithUsage(), pod.build()).get("n");
        if (reasons == null) {
            assertThat(status).isEqualTo(FilterStatus.PASS);
        } else {
            assertThat(status).isEqualTo(new FilterStatus.Rejected(reasons, false));
        }
    }

    @ParameterizedTest(name = "pods on node: {0}")
    @MethodSource("podCounts")
    void countsPodsAgainstThePodsAllocatable(int existing, boolean fits) {
        Node node = node("n").pods(2).build();
        List<Pod> pods = Stream.iterate(0, i -> i + 1).limit(existing)
                .map(i -> pod("e" + i).nodeName("n").build()).toList();
        FilterStatus status = filter(new NodeResourcesFit(), snapshot(List.of(node), pods), pod("p").build()).get("n");
        assertThat(status).isEqualTo(fits ? FilterStatus.PASS : FilterStatus.unschedulable("Too many pods"));
    }

    static Stream<Arguments> podCounts() {
        return Stream.of(Arguments.of(0, true), Arguments.of(1, true), Arguments.of(2, false));
    }
}
