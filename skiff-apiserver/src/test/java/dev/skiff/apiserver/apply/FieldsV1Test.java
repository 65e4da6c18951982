package dev.skiff.apiserver.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldsV1Test {

    /** What kube-apiserver v1.32 records for `kubectl apply --server-side` of a small Deployment. */
    private static final String UPSTREAM = """
            {"f:metadata":{"f:labels":{"f:app":{}}},
             "f:spec":{"f:replicas":{},"f:selector":{},
               "f:template":{"f:metadata":{"f:labels":{"f:app":{}}},
                 "f:spec":{"f:containers":{"k:{\\"name\\":\\"web\\"}":{".":{},"f:image":{},"f:name":{},
                   "f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}}}}}
            """;

    @Test
    void upstreamEncodingRoundTrips() {
        JsonNode fields = Json.node(UPSTREAM);
        FieldSet set = FieldsV1.decode(fields);
        assertThat(FieldsV1.encode(set)).isEqualTo(fields);
        assertThat(set.paths().stream().map(FieldSet::display)).containsExactly(
                ".metadata.labels.app",
                ".spec.replicas",
                ".spec.selector",
                ".spec.template.metadata.labels.app",
                ".spec.template.spec.containers[name=\"web\"]",
                ".spec.template.spec.containers[name=\"web\"].image",
                ".spec.template.spec.containers[name=\"web\"].name",
                ".spec.template.spec.containers[name=\"web\"].ports[containerPort=80,protocol=\"TCP\"]",
                ".spec.template.spec.containers[name=\"web\"].ports[containerPort=80,protocol=\"TCP\"]"
                        + ".containerPort");
    }

    @Test
    void theFieldSetOfAnObjectEncodesAsUpstreamDoes() {
        FieldSet set = FieldSets.of(Json.object("""
                metadata: {labels: {app: web}}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - name: web
                        image: nginx
                        ports: [{containerPort: 80}]
                """), Json.podLike(), true);
        assertThat(FieldsV1.encode(set)).isEqualTo(Json.node(UPSTREAM));
    }

    @Test
    void setItemsIndexesAndKeyOrder() {
        FieldSet set = FieldSet.of(List.of(
                List.of(PathElement.field("metadata"), PathElement.field("finalizers"),
                        PathElement.value(Json.node("\"example.com/a\""))),
                List.of(PathElement.field("args"), new PathElement.Index(0)),
                List.of(PathElement.field("ports"), PathElement.key(List.of("protocol", "port"),
                        List.of(Json.node("UDP"), Json.node("53"))))));
        JsonNode encoded = FieldsV1.encode(set);
        assertThat(encoded.toString()).isEqualTo("{\"f:args\":{\"i:0\":{}},"
                + "\"f:metadata\":{\"f:finalizers\":{\"v:\\\"example.com/a\\\"\":{}}},"
                + "\"f:ports\":{\"k:{\\\"port\\\":53,\\\"protocol\\\":\\\"UDP\\\"}\":{}}}");
        assertThat(FieldsV1.decode(encoded)).isEqualTo(set);
        assertThat(set.paths().stream().map(FieldSet::display)).contains(
                ".metadata.finalizers[=\"example.com/a\"]", ".args[0]", ".ports[port=53,protocol=\"UDP\"]");
    }

    @Test
    void numbersAreKeysWhateverTheirSpelling() {
        assertThat(PathElement.key(List.of("port"), List.of(Json.node("80"))))
                .isEqualTo(PathElement.decode("k:{\"port\":80.0}"))
                .isEqualTo(PathElement.decode("k:{ \"port\" : 80 }"));
    }

    @Test
    void unknownElementKindsAreDroppedAndMalformedOnesRefused() {
        assertThat(FieldsV1.decode(Json.node("{\"f:a\":{},\"x:future\":{}}")))
                .isEqualTo(FieldSet.of(List.of(List.of(PathElement.field("a")))));
        assertThatThrownBy(() -> FieldsV1.decode(Json.node("{\"k:not-json\":{}}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldsV1.decode(Json.node("{\"f:a\":1}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldsV1.decode(Json.node("[]"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void setAlgebra() {
        FieldSet ab = paths(".a.b", ".a.c", ".d");
        FieldSet ac = paths(".a.c", ".e");
        assertThat(ab.union(ac)).isEqualTo(paths(".a.b", ".a.c", ".d", ".e"));
        assertThat(ab.difference(ac)).isEqualTo(paths(".a.b", ".d"));
        assertThat(ab.intersection(ac)).isEqualTo(paths(".a.c"));
        assertThat(ab.recursiveDifference(paths(".a"))).isEqualTo(paths(".d"));
        assertThat(ab.difference(paths(".a"))).isEqualTo(ab);
        assertThat(ab.withFieldsAsMembers()).isEqualTo(paths(".a", ".a.b", ".a.c", ".d"));
    }

    /** A set of simple dotted field paths. */
    static FieldSet paths(String... dotted) {
        FieldSet.Builder builder = new FieldSet.Builder();
        for (String path : dotted) {
            builder.insert(java.util.Arrays.stream(path.substring(1).split("\\."))
                    .map(PathElement::field).map(PathElement.class::cast).toList());
        }
        return builder.build();
    }
}
