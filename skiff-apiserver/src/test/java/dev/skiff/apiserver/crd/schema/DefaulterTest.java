package dev.skiff.apiserver.crd.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class DefaulterTest {

    private static final Schema SCHEMA = Yaml.schema("""
            type: object
            properties:
              spec:
                type: object
                default: {}
                properties:
                  replicas: {type: integer, default: 1}
                  image: {type: string, default: "busybox", nullable: true}
                  mode: {type: string}
                  policy:
                    type: object
                    default: {retries: 3, unknown: pruned}
                    properties:
                      retries: {type: integer}
                      backoff: {type: string, default: 10s}
                  ports:
                    type: array
                    items:
                      type: object
                      properties:
                        protocol: {type: string, default: TCP}
                        port: {type: integer}
            """);

    @Test
    void absentFieldsTakeDefaultsAtEveryLevel() {
        ObjectNode object = Yaml.object("""
                spec:
                  ports: [{port: 80}, {port: 53, protocol: UDP}]
                """);
        Defaulter.apply(object, SCHEMA);
        assertThat(object).isEqualTo(Yaml.object("""
                spec:
                  replicas: 1
                  image: busybox
                  policy: {retries: 3, backoff: 10s}
                  ports: [{port: 80, protocol: TCP}, {port: 53, protocol: UDP}]
                """));
    }

    @Test
    void aMissingParentIsDefaultedThenItsChildren() {
        ObjectNode object = Yaml.object("metadata: {name: a}");
        Defaulter.apply(object, SCHEMA);
        assertThat(object.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(object.path("spec").path("policy").path("backoff").asText()).isEqualTo("10s");
    }

    @Test
    void nullsAreDefaultedOrDroppedUnlessNullable() {
        ObjectNode object = Yaml.object("""
                spec: {replicas: null, mode: null, image: null}
                """);
        Defaulter.apply(object, SCHEMA);
        assertThat(object.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(object.path("spec").has("mode")).isFalse();
        assertThat(object.path("spec").get("image").isNull()).isTrue();
    }
}
