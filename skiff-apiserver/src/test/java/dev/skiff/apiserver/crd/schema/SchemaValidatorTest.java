package dev.skiff.apiserver.crd.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaValidatorTest {

    private static final Schema SCHEMA = Yaml.schema("""
            type: object
            properties:
              spec:
                type: object
                required: [name]
                properties:
                  name: {type: string, minLength: 2, maxLength: 5, pattern: '^[a-z]+$'}
                  replicas: {type: integer, minimum: 0, maximum: 10}
                  ratio: {type: number, exclusiveMaximum: true, maximum: 1}
                  mode: {type: string, enum: [Fast, Slow]}
                  email: {type: string, format: email}
                  when: {type: string, format: date-time}
                  port: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}
                  tags:
                    type: array
                    maxItems: 2
                    x-kubernetes-list-type: set
                    items: {type: string}
                  ports:
                    type: array
                    minItems: 1
                    x-kubernetes-list-type: map
                    x-kubernetes-list-map-keys: [port]
                    items:
                      type: object
                      required: [port]
                      properties:
                        port: {type: integer}
                        name: {type: string}
                  note: {type: string, nullable: true}
                  template:
                    type: object
                    x-kubernetes-embedded-resource: true
                    x-kubernetes-preserve-unknown-fields: true
            """);

    private static List<String> errors(String yaml) {
        return SchemaValidator.validate(Yaml.object(yaml), SCHEMA, "").stream().map(FieldError::toString).toList();
    }

    @Test
    void aValidObjectHasNoErrors() {
        assertThat(errors("""
                spec:
                  name: abc
                  replicas: 3
                  ratio: 0.5
                  mode: Fast
                  email: a@example.com
                  when: "2024-01-02T03:04:05Z"
                  port: http
                  tags: [a, b]
                  ports: [{port: 80}, {port: 443, name: https}]
                  note: null
                  template: {apiVersion: v1, kind: Pod, anything: 1}
                """)).isEmpty();
    }

    @Test
    void typeErrorsAreWordedAsUpstream() {
        assertThat(errors("spec: {name: ab, replicas: two}")).containsExactly(
                "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");
        assertThat(errors("spec: {name: ab, replicas: 1.5}")).containsExactly(
                "spec.replicas: Invalid value: \"number\": spec.replicas in body must be of type integer: \"number\"");
        assertThat(errors("spec: {name: ab, port: true}")).containsExactly("spec.port: Invalid value: \"boolean\": "
                + "spec.port in body must be of type integer,string: \"boolean\"");
    }

    @Test
    void requiredBoundsEnumAndPattern() {
        assertThat(errors("spec: {replicas: 11}")).containsExactly(
                "spec.name: Required value",
                "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10");
        assertThat(errors("spec: {name: ab, replicas: -1, ratio: 1}")).containsExactly(
                "spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0",
                "spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1");
        assertThat(errors("spec: {name: ab, mode: Medium}")).containsExactly(
                "spec.mode: Unsupported value: \"Medium\": supported values: \"Fast\", \"Slow\"");
        assertThat(errors("spec: {name: a}")).containsExactly(
                "spec.name: Invalid value: \"a\": spec.name in body should be at least 2 chars long");
        assertThat(errors("spec: {name: abcdef}")).containsExactly(
                "spec.name: Too long: may not be more than 5 bytes");
        assertThat(errors("spec: {name: AB}")).containsExactly(
                "spec.name: Invalid value: \"AB\": spec.name in body should match '^[a-z]+$'");
    }

    @Test
    void formatsListsAndEmbeddedResources() {
        assertThat(errors("spec: {name: ab, email: nope, when: yesterday}")).containsExactly(
                "spec.email: Invalid value: \"nope\": spec.email in body must be of type email: \"nope\"",
                "spec.when: Invalid value: \"yesterday\": spec.when in body must be of type date-time: \"yesterday\"");
        assertThat(errors("spec: {name: ab, tags: [a, a, b]}")).containsExactly(
                "spec.tags: Too many: 3: must have at most 2 items",
                "spec.tags[1]: Duplicate value: \"a\"");
        assertThat(errors("spec: {name: ab, ports: [{port: 80}, {port: 80, name: x}, {name: y}]}")).containsExactly(
                "spec.ports[2].port: Required value",
                "spec.ports[1]: Duplicate value: {\"port\":80}");
        assertThat(errors("spec: {name: ab, ports: []}")).containsExactly(
                "spec.ports: Invalid value: []: spec.ports in body should have at least 1 items");
        assertThat(errors("spec: {name: ab, template: {kind: Pod}}")).containsExactly(
                "spec.template.apiVersion: Required value: must not be empty");
    }

    @Test
    void nullIsValidOnlyWhereNullable() {
        assertThat(errors("spec: {name: ab, note: null, replicas: null}")).containsExactly(
                "spec.replicas: Invalid value: \"null\": spec.replicas in body must be of type integer: \"null\"");
    }

    @Test
    void causesCarryUpstreamReasons() {
        List<FieldError> errors = SchemaValidator.validate(Yaml.object("spec: {mode: X}"), SCHEMA, "");
        assertThat(errors).extracting(e -> e.toCause().reason())
                .containsExactly("FieldValueRequired", "FieldValueNotSupported");
        assertThat(errors).extracting(e -> e.toCause().field()).containsExactly("spec.name", "spec.mode");
    }
}
