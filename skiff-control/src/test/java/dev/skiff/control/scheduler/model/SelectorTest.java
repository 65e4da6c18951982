package dev.skiff.control.scheduler.model;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SelectorTest {

    static Stream<Arguments> cases() {
        Map<String, String> web = Map.of("app", "web", "tier", "front");
        return Stream.of(
                Arguments.of("null selects nothing", null, web, false),
                Arguments.of("empty selects everything", new LabelSelector(), web, true),
                Arguments.of("matchLabels hit", sel("app", "In", "web"), web, true),
                Arguments.of("In miss", sel("app", "In", "db"), web, false),
                Arguments.of("NotIn hit", sel("app", "NotIn", "db"), web, true),
                Arguments.of("NotIn absent label matches", sel("zone", "NotIn", "a"), web, true),
                Arguments.of("Exists", sel("tier", "Exists"), web, true),
                Arguments.of("DoesNotExist", sel("tier", "DoesNotExist"), web, false),
                Arguments.of("Gt is invalid in a label selector", sel("tier", "Gt", "1"), web, false),
                Arguments.of("unknown operator selects nothing", sel("app", "Like", "w"), web, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesAsUpstream(String name, LabelSelector selector, Map<String, String> labels, boolean expected) {
        assertThat(Selector.of(selector).matches(labels)).isEqualTo(expected);
    }

    @Test
    void equalSelectorsAreEqualRegardlessOfOrder() {
        LabelSelector a = new LabelSelectorBuilder().addToMatchLabels("a", "1").addToMatchLabels("b", "2").build();
        LabelSelector b = new LabelSelectorBuilder().addToMatchLabels("b", "2").addToMatchLabels("a", "1").build();
        assertThat(Selector.of(a)).isEqualTo(Selector.of(b)).hasSameHashCodeAs(Selector.of(b));
    }

    @Test
    void emptyAndNothingAreDistinguished() {
        assertThat(Selector.of(new LabelSelector()).isEmpty()).isTrue();
        assertThat(Selector.of(null).isEmpty()).isFalse();
        assertThat(Selector.of(null).and(List.of(new Requirement("a", Requirement.Operator.EXISTS, null)))
                .matches(Map.of("a", "x"))).isFalse();
    }

    @Test
    void gtAndLtCompareIntegersInNodeSelectors() {
        Requirement gt = new Requirement("cores", Requirement.Operator.GT, List.of("4"));
        Requirement lt = new Requirement("cores", Requirement.Operator.LT, List.of("4"));
        assertThat(gt.matches(Map.of("cores", "8"))).isTrue();
        assertThat(gt.matches(Map.of("cores", "4"))).isFalse();
        assertThat(lt.matches(Map.of("cores", "2"))).isTrue();
        assertThat(gt.matches(Map.of("cores", "eight"))).isFalse();
        assertThat(gt.matches(Map.of())).isFalse();
    }

    private static LabelSelector sel(String key, String op, String... values) {
        LabelSelector s = new LabelSelector();
        s.setMatchExpressions(List.of(new LabelSelectorRequirement(key, op, List.of(values))));
        return s;
    }
}
