package dev.skiff.apiserver.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.skiff.apiserver.crd.schema.FieldError;
import dev.skiff.apiserver.status.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrdValidationTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static ObjectNode crd(String yaml) {
        try {
            ObjectNode crd = (ObjectNode) YAML.readTree(yaml);
            CrdDefaults.apply(crd);
            return crd;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static final String GOOD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.com}
            spec:
              group: example.com
              scope: Namespaced
              names: {plural: widgets, kind: Widget, shortNames: [wd]}
              versions:
              - name: v1
                served: true
                storage: true
                schema: {openAPIV3Schema: {type: object}}
                subresources:
                  scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
                additionalPrinterColumns:
                - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
            """;

    private static List<String> errors(ObjectNode crd, ObjectNode old) {
        return CrdValidation.errors(crd, old).stream().map(FieldError::toString).toList();
    }

    @Test
    void aGoodCrdIsValidAndDefaulted() {
        ObjectNode crd = crd(GOOD);
        assertThat(errors(crd, null)).isEmpty();
        assertThat(crd.path("spec").path("names").path("singular").asText()).isEqualTo("widget");
        assertThat(crd.path("spec").path("names").path("listKind").asText()).isEqualTo("WidgetList");
        assertThat(crd.path("spec").path("conversion").path("strategy").asText()).isEqualTo("None");
    }

    @Test
    void namesGroupScopeAndVersions() {
        ObjectNode crd = crd("""
                metadata: {name: things.example.com}
                spec:
                  group: example
                  scope: Global
                  names: {plural: Widgets, kind: Widget}
                  versions:
                  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}
                  - {name: V2, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}
                """);
        assertThat(errors(crd, null)).contains(
                "metadata.name: Invalid value: \"things.example.com\": must be spec.names.plural+\".\"+spec.group",
                "spec.group: Invalid value: \"example\": should be a domain with at least one dot",
                "spec.scope: Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespaced\"",
                "spec.names.plural: Invalid value: \"Widgets\": a DNS-1035 label must consist of lower case "
                        + "alphanumeric characters or '-', start with an alphabetic character, and end with an "
                        + "alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is "
                        + "'[a-z]([-a-z0-9]*[a-z0-9])?')");
        assertThat(errors(crd, null)).anyMatch(e -> e.startsWith("spec.versions[1].name: Invalid value: \"V2\""))
                .anyMatch(e -> e.startsWith("spec.versions: Invalid value: [")
                        && e.endsWith("must have exactly one version marked as storage version"));
    }

    @Test
    void schemasMustBeStructuralAndPresent() {
        ObjectNode crd = crd(GOOD.replace("schema: {openAPIV3Schema: {type: object}}",
                "schema: {openAPIV3Schema: {properties: {spec: {type: object}}}}"));
        assertThat(errors(crd, null)).containsExactly("spec.versions[0].schema.openAPIV3Schema.type: Required value: "
                + "must not be empty at the root");
        ObjectNode none = crd(GOOD.replace("schema: {openAPIV3Schema: {type: object}}", "served: true"));
        assertThat(errors(none, null)).containsExactly(
                "spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required");
    }

    @Test
    void subresourcesAndPrinterColumns() {
        ObjectNode crd = crd(GOOD.replace(".status.replicas}", "status.replicas}")
                .replace("{name: Ready, type: string,", "{name: Ready, type: text,"));
        assertThat(errors(crd, null)).containsExactly(
                "spec.versions[0].subresources.scale.statusReplicasPath: Invalid value: \"status.replicas\": should "
                        + "be a json path under .status",
                "spec.versions[0].additionalPrinterColumns[0].type: Unsupported value: \"text\": supported values: "
                        + "\"boolean\", \"date\", \"integer\", \"number\", \"string\"");
    }

    @Test
    void protectedGroupsNeedApproval() {
        ObjectNode crd = crd(GOOD.replace("example.com", "things.k8s.io"));
        assertThat(errors(crd, null)).containsExactly("metadata.annotations[api-approved.kubernetes.io]: Required "
                + "value: protected groups must have approval annotation \"api-approved.kubernetes.io\", see "
                + "https://github.com/kubernetes/enhancements/pull/1111");
    }

    @Test
    void updatesKeepGroupPluralAndStoredVersions() {
        ObjectNode old = crd(GOOD);
        old.putObject("status").putArray("storedVersions").add("v1");
        ObjectNode next = crd(GOOD.replace("name: v1", "name: v2").replace("kind: Widget", "kind: Gadget"));
        next.set("status", old.get("status").deepCopy());
        assertThat(errors(next, old)).containsExactly(
                "status.storedVersions[0]: Invalid value: \"v1\": must appear in spec.versions");
        CrdStatus.setCondition((ObjectNode) old.get("status"), "Established", "True", "r", "m",
                java.time.Clock.systemUTC());
        assertThat(errors(next, old)).contains(
                "spec.names.kind: Invalid value: \"Gadget\": field is immutable");
    }

    @Test
    void failuresAreOne422NamingEveryField() {
        ObjectNode crd = crd(GOOD.replace("scope: Namespaced", "scope: \"\""));
        assertThatThrownBy(() -> CrdValidation.validate(crd, null)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(422);
            assertThat(e.status().message()).isEqualTo("CustomResourceDefinition.apiextensions.k8s.io "
                    + "\"widgets.example.com\" is invalid: spec.scope: Required value");
            assertThat(e.status().details().causes()).extracting(c -> c.field()).containsExactly("spec.scope");
        });
    }
}
