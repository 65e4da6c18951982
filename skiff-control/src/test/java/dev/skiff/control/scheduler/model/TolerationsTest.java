package dev.skiff.control.scheduler.model;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class TolerationsTest {

    private static final Taint TAINT = new Taint("NoSchedule", "virtual-kubelet.io/provider", null, "skiff");

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("Equal with the value", tol("virtual-kubelet.io/provider", "Equal", "skiff", "NoSchedule"), true),
                Arguments.of("empty operator means Equal", tol("virtual-kubelet.io/provider", null, "skiff", null), true),
                Arguments.of("Equal with another value", tol("virtual-kubelet.io/provider", "Equal", "x", "NoSchedule"), false),
                Arguments.of("Exists ignores the value", tol("virtual-kubelet.io/provider", "Exists", null, "NoSchedule"), true),
                Arguments.of("empty effect matches all effects", tol("virtual-kubelet.io/provider", "Exists", null, null), true),
                Arguments.of("other effect", tol("virtual-kubelet.io/provider", "Exists", null, "NoExecute"), false),
                Arguments.of("other key", tol("other", "Exists", null, null), false),
                Arguments.of("empty key with Exists tolerates everything", tol(null, "Exists", null, null), true),
                Arguments.of("unknown operator", tol("virtual-kubelet.io/provider", "Gt", "skiff", null), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void toleratesAsUpstream(String name, Toleration toleration, boolean expected) {
        assertThat(Tolerations.tolerates(toleration, TAINT)).isEqualTo(expected);
    }

    @Test
    void firstUntoleratedFollowsTheNodeOrderAndTheEffects() {
        Taint prefer = new Taint("PreferNoSchedule", "soft", null, "");
        Taint a = new Taint("NoExecute", "a", null, "1");
        Taint b = new Taint("NoSchedule", "b", null, "2");
        List<Taint> taints = List.of(prefer, a, b);
        assertThat(Tolerations.firstUntolerated(taints, List.of(), Tolerations::blocksScheduling)).contains(a);
        assertThat(Tolerations.firstUntolerated(taints, List.of(tol("a", "Exists", null, null)),
                Tolerations::blocksScheduling)).contains(b);
    }

    private static Toleration tol(String key, String op, String value, String effect) {
        return new Toleration(effect, key, op, null, value);
    }
}
