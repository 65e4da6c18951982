package dev.skiff.apiserver.crd.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StructuralCheckTest {

    private static final String ROOT = "spec.versions[0].schema.openAPIV3Schema";

    private static List<String> check(String yaml) {
        return StructuralCheck.check(Yaml.node(yaml), ROOT).stream().map(FieldError::toString).toList();
    }

    @Test
    void aTypicalOperatorSchemaIsStructural() {
        assertThat(check("""
                type: object
                properties:
                  metadata:
                    type: object
                    properties:
                      name: {type: string, maxLength: 20}
                  spec:
                    type: object
                    properties:
                      port:
                        x-kubernetes-int-or-string: true
                        anyOf: [{type: integer}, {type: string}]
                      config: {type: object, x-kubernetes-preserve-unknown-fields: true}
                      labels: {type: object, additionalProperties: {type: string}}
                      items:
                        type: array
                        x-kubernetes-list-type: map
                        x-kubernetes-list-map-keys: [name]
                        items: {type: object, properties: {name: {type: string}}, required: [name]}
                      replicas: {type: integer, default: 1, minimum: 0}
                      mode: {type: string, enum: [a, b], allOf: [{minLength: 1}]}
                """)).isEmpty();
    }

    @Test
    void everySpecifiedNodeNeedsAType() {
        assertThat(check("""
                properties:
                  spec:
                    properties:
                      list: {type: array}
                      items: {type: array, items: {}}
                """)).containsExactlyInAnyOrder(
                ROOT + ".type: Required value: must not be empty at the root",
                ROOT + ".properties[spec].type: Required value: must not be empty for specified object fields",
                ROOT + ".properties[spec].properties[list].items: Required value: must be specified",
                ROOT + ".properties[spec].properties[items].items.type: Required value: must not be empty for "
                        + "specified array items");
    }

    @Test
    void propertiesAndAdditionalPropertiesAndTheRoot() {
        assertThat(check("""
                type: object
                additionalProperties: {type: string}
                properties:
                  spec:
                    type: object
                    properties: {a: {type: string}}
                    additionalProperties: {type: string}
                """)).containsExactlyInAnyOrder(
                ROOT + ".additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive",
                ROOT + ".additionalProperties: Forbidden: must not be used at the root",
                ROOT + ".properties[spec].additionalProperties: Forbidden: additionalProperties and properties are "
                        + "mutual exclusive");
        assertThat(check("type: string")).containsExactly(
                ROOT + ".type: Invalid value: \"string\": must be object at the root");
    }

    @Test
    void keywordsCrdsDoNotAllow() {
        assertThat(check("""
                type: object
                properties:
                  a: {type: 'null'}
                  b: {type: text}
                  c: {type: array, items: {type: string}, uniqueItems: true}
                  d: {$ref: '#/definitions/x'}
                  e: {type: object, x-kubernetes-preserve-unknown-fields: false}
                  f: {type: string, pattern: '(unclosed'}
                """)).containsExactlyInAnyOrder(
                ROOT + ".properties[a].type: Forbidden: type cannot be set to null, use nullable as an alternative",
                ROOT + ".properties[b].type: Unsupported value: \"text\": supported values: \"array\", \"boolean\", "
                        + "\"integer\", \"number\", \"object\", \"string\"",
                ROOT + ".properties[c].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime "
                        + "complexity becomes quadratic",
                ROOT + ".properties[d].$ref: Forbidden: $ref is not supported",
                ROOT + ".properties[d].type: Required value: must not be empty for specified object fields",
                ROOT + ".properties[e].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or "
                        + "undefined",
                ROOT + ".properties[f].pattern: Invalid value: \"(unclosed\": must be a valid regular expression, "
                        + "but isn't: Unclosed group");
    }

    @Test
    void valueValidationsCarryNoStructure() {
        assertThat(check("""
                type: object
                properties:
                  a:
                    type: string
                    anyOf: [{type: string}, {minLength: 1, description: x}]
                """)).containsExactlyInAnyOrder(
                ROOT + ".properties[a].anyOf[0].type: Forbidden: must be empty to be structural",
                ROOT + ".properties[a].anyOf[1].description: Forbidden: must be empty to be structural");
    }

    @Test
    void rootMetadataOnlyRestrictsNameAndGenerateName() {
        assertThat(check("""
                type: object
                properties:
                  metadata:
                    type: object
                    properties:
                      labels: {type: object}
                """)).containsExactly(ROOT + ".properties[metadata]: Forbidden: must not specify anything other than "
                + "name and generateName, but metadata is implicitly specified");
    }

    @Test
    void listTypesAndEmbeddedResources() {
        assertThat(check("""
                type: object
                properties:
                  a: {type: array, items: {type: string}, x-kubernetes-list-type: map}
                  b: {type: array, items: {type: string}, x-kubernetes-list-type: bag}
                  c: {type: object, x-kubernetes-embedded-resource: true}
                """)).containsExactlyInAnyOrder(
                ROOT + ".properties[a].x-kubernetes-list-map-keys: Required value: must not be empty if "
                        + "x-kubernetes-list-type is map",
                ROOT + ".properties[a].items.type: Invalid value: \"string\": must be object if parent array's "
                        + "x-kubernetes-list-type is map",
                ROOT + ".properties[b].x-kubernetes-list-type: Unsupported value: \"bag\": supported values: "
                        + "\"atomic\", \"map\", \"set\"",
                ROOT + ".properties[c].properties: Required value: must not be empty if x-kubernetes-embedded-resource "
                        + "is true without x-kubernetes-preserve-unknown-fields");
    }

    @Test
    void defaultsMustBeValid() {
        assertThat(check("""
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      replicas: {type: integer, default: many}
                """)).containsExactly(ROOT + ".properties[spec].properties[replicas].default: Invalid value: "
                + "\"string\": spec.replicas in body must be of type integer: \"string\"");
    }

    @Test
    void aMissingSchemaIsRequired() {
        assertThat(StructuralCheck.check(null, ROOT)).extracting(FieldError::toString)
                .containsExactly(ROOT + ": Required value: schemas are required");
    }
}
