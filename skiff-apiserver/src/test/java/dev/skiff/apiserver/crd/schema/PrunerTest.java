package dev.skiff.apiserver.crd.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class PrunerTest {

    private static final Schema SCHEMA = Yaml.schema("""
            type: object
            properties:
              spec:
                type: object
                properties:
                  replicas: {type: integer}
                  containers:
                    type: array
                    items:
                      type: object
                      properties:
                        name: {type: string}
                  labels:
                    type: object
                    additionalProperties: {type: string}
                  raw:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
                    properties:
                      known:
                        type: object
                        properties:
                          a: {type: string}
                  template:
                    type: object
                    x-kubernetes-embedded-resource: true
                    properties:
                      spec:
                        type: object
                        properties:
                          x: {type: string}
            """);

    @Test
    void dropsUnknownFieldsAndReportsTheirPathsSorted() {
        ObjectNode object = Yaml.object("""
                apiVersion: example.com/v1
                kind: Thing
                metadata: {name: a, whatever: kept}
                spec:
                  replicas: 2
                  colour: blue
                  containers:
                  - {name: one, image: busybox}
                  - {name: two}
                top: level
                """);
        assertThat(Pruner.pruneResource(object, SCHEMA))
                .containsExactly("spec.colour", "spec.containers[0].image", "top");
        assertThat(object).isEqualTo(Yaml.object("""
                apiVersion: example.com/v1
                kind: Thing
                metadata: {name: a, whatever: kept}
                spec:
                  replicas: 2
                  containers:
                  - {name: one}
                  - {name: two}
                """));
    }

    @Test
    void additionalPropertiesKeepAnyKeyAndPreserveUnknownFieldsKeepsUnknownButPrunesKnown() {
        ObjectNode object = Yaml.object("""
                spec:
                  labels: {a: b, c: d}
                  raw:
                    anything: [1, 2]
                    known: {a: x, b: dropped}
                """);
        assertThat(Pruner.pruneResource(object, SCHEMA)).containsExactly("spec.raw.known.b");
        assertThat(object.path("spec").path("labels").size()).isEqualTo(2);
        assertThat(object.path("spec").path("raw").has("anything")).isTrue();
    }

    @Test
    void embeddedResourcesKeepTheirTypeAndObjectMeta() {
        ObjectNode object = Yaml.object("""
                spec:
                  template:
                    apiVersion: v1
                    kind: Pod
                    metadata: {labels: {a: b}}
                    spec: {x: y, z: dropped}
                    other: dropped
                """);
        assertThat(Pruner.pruneResource(object, SCHEMA))
                .containsExactly("spec.template.other", "spec.template.spec.z");
        assertThat(object.path("spec").path("template").has("metadata")).isTrue();
    }
}
