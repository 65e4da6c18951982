package dev.skiff.control.scheduler.model;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class NodeTermTest {

    private static final Map<String, String> LABELS = Map.of("zone", "a", "cores", "8");

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("empty term matches nothing", term(List.of(), List.of()), false),
                Arguments.of("In", term(List.of(req("zone", "In", "a", "b")), List.of()), true),
                Arguments.of("NotIn", term(List.of(req("zone", "NotIn", "a")), List.of()), false),
                Arguments.of("Exists", term(List.of(req("zone", "Exists")), List.of()), true),
                Arguments.of("DoesNotExist", term(List.of(req("gpu", "DoesNotExist")), List.of()), true),
                Arguments.of("Gt", term(List.of(req("cores", "Gt", "4")), List.of()), true),
                Arguments.of("Lt", term(List.of(req("cores", "Lt", "4")), List.of()), false),
                Arguments.of("expressions are ANDed", term(List.of(req("zone", "In", "a"), req("cores", "Lt", "4")),
                        List.of()), false),
                Arguments.of("matchFields metadata.name In", term(List.of(),
                        List.of(req("metadata.name", "In", "node-1"))), true),
                Arguments.of("matchFields metadata.name NotIn", term(List.of(),
                        List.of(req("metadata.name", "NotIn", "node-1"))), false),
                Arguments.of("matchFields on another field is invalid", term(List.of(),
                        List.of(req("metadata.uid", "In", "x"))), false),
                Arguments.of("fields and labels together", term(List.of(req("zone", "In", "a")),
                        List.of(req("metadata.name", "In", "node-1"))), true),
                Arguments.of("unknown operator invalidates the term", term(List.of(req("zone", "Like", "a")),
                        List.of()), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesAsUpstream(String name, NodeSelectorTerm term, boolean expected) {
        assertThat(NodeTerm.of(term).matches(LABELS, "node-1")).isEqualTo(expected);
    }

    private static NodeSelectorTerm term(List<NodeSelectorRequirement> expressions,
                                         List<NodeSelectorRequirement> fields) {
        NodeSelectorTerm t = new NodeSelectorTerm();
        t.setMatchExpressions(expressions);
        t.setMatchFields(fields);
        return t;
    }

    private static NodeSelectorRequirement req(String key, String op, String... values) {
        return new NodeSelectorRequirement(key, op, List.of(values));
    }
}
