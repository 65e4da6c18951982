package dev.skiff.apiserver.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class SimpleJsonPathTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode doc() throws Exception {
        return JSON.readTree("""
                {"spec": {"replicas": 2, "list": [{"n": "a"}, {"n": "b"}]},
                 "metadata": {"labels": {"app.kubernetes.io/name": "web"}},
                 "status": {"conditions": [{"type": "Synced", "status": "False"},
                                           {"type": "Ready", "status": "True"}]}}""");
    }

    private static String first(String path) throws Exception {
        return SimpleJsonPath.parse(path).orElseThrow().first(doc()).map(JsonNode::asText).orElse(null);
    }

    @Test
    void fieldsIndexesWildcardsAndFilters() throws Exception {
        assertThat(first(".spec.replicas")).isEqualTo("2");
        assertThat(first(".spec.list[1].n")).isEqualTo("b");
        assertThat(first(".spec.list[*].n")).isEqualTo("a");
        assertThat(first(".status.conditions[?(@.type==\"Ready\")].status")).isEqualTo("True");
        assertThat(first(".metadata.labels.app\\.kubernetes\\.io/name")).isEqualTo("web");
        assertThat(first(".spec.missing")).isNull();
    }

    @Test
    void onlyPathsStartingWithADotParse() {
        assertThat(SimpleJsonPath.parse("spec.replicas")).isEmpty();
        assertThat(SimpleJsonPath.parse(".spec[")).isEmpty();
        assertThat(SimpleJsonPath.parse(".spec.replicas").orElseThrow().fieldsOnly()).isTrue();
        assertThat(SimpleJsonPath.parse(".spec.list[0]").orElseThrow().fieldsOnly()).isFalse();
    }

    @Test
    void setCreatesObjectsOnTheWay() throws Exception {
        ObjectNode object = JSON.createObjectNode();
        SimpleJsonPath.parse(".spec.scale.replicas").orElseThrow().set(object, IntNode.valueOf(3));
        assertThat(object.toString()).isEqualTo("{\"spec\":{\"scale\":{\"replicas\":3}}}");
    }
}
