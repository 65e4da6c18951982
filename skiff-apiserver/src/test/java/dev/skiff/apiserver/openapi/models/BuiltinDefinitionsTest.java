package dev.skiff.apiserver.openapi.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.discovery.GroupVersionKind;
import dev.skiff.apiserver.openapi.models.Definition.ObjectDefinition;
import dev.skiff.apiserver.openapi.models.Definition.Property;
import dev.skiff.apiserver.openapi.models.Definition.ScalarDefinition;
import dev.skiff.apiserver.openapi.models.PropertyType.ArrayOf;
import dev.skiff.apiserver.openapi.models.PropertyType.MapOf;
import dev.skiff.apiserver.openapi.models.PropertyType.Primitive;
import dev.skiff.apiserver.openapi.models.PropertyType.Reference;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltinDefinitionsTest {

    private static final BuiltinDefinitions DEFINITIONS = BuiltinDefinitions.standard().orElseThrow();

    private static ObjectDefinition object(String name) {
        return (ObjectDefinition) DEFINITIONS.get(name).orElseThrow(() -> new AssertionError("no " + name));
    }

    private static Property property(String definition, String property) {
        return object(definition).properties().stream().filter(p -> p.name().equals(property)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + definition + "." + property));
    }

    @Test
    void podReachesContainerImageWithItsTypeAndDescription() {
        String pod = DEFINITIONS.nameOf(new GroupVersionKind("", "v1", "Pod")).orElseThrow();
        assertThat(pod).isEqualTo("io.k8s.api.core.v1.Pod");
        assertThat(object(pod).description()).startsWith("Pod is a collection of containers");
        assertThat(object(pod).kinds()).containsExactly(new GroupVersionKind("", "v1", "Pod"));
        assertThat(property(pod, "spec").type()).isEqualTo(new Reference("io.k8s.api.core.v1.PodSpec"));
        assertThat(property(pod, "metadata").type())
                .isEqualTo(new Reference("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
        Property containers = property("io.k8s.api.core.v1.PodSpec", "containers");
        assertThat(containers.type()).isEqualTo(new ArrayOf(new Reference("io.k8s.api.core.v1.Container")));
        assertThat(object("io.k8s.api.core.v1.PodSpec").required()).containsExactly("containers");
        Property image = property("io.k8s.api.core.v1.Container", "image");
        assertThat(image.type()).isEqualTo(new Primitive("string", null));
        assertThat(image.description()).startsWith("Container image name.");
        assertThat(object("io.k8s.api.core.v1.Container").required()).containsExactly("name");
        assertThat(property("io.k8s.api.core.v1.ContainerPort", "containerPort").type())
                .isEqualTo(new Primitive("integer", "int32"));
        assertThat(property("io.k8s.api.core.v1.PodSpec", "activeDeadlineSeconds").type())
                .isEqualTo(new Primitive("integer", "int64"));
        assertThat(property("io.k8s.api.core.v1.PodSpec", "hostNetwork").type())
                .isEqualTo(new Primitive("boolean", null));
        assertThat(property("io.k8s.api.core.v1.PodSpec", "nodeSelector").type())
                .isEqualTo(new MapOf(new Primitive("string", null)));
        assertThat(property("io.k8s.api.core.v1.ResourceRequirements", "limits").type())
                .isEqualTo(new MapOf(new Reference(BuiltinDefinitions.QUANTITY)));
        assertThat(DEFINITIONS.closure(List.of(pod))).contains("io.k8s.api.core.v1.Container",
                "io.k8s.api.core.v1.Probe", BuiltinDefinitions.INT_OR_STRING, BuiltinDefinitions.TIME,
                "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").doesNotContain("io.k8s.api.apps.v1.Deployment");
    }

    @Test
    void typesAreNamedInTheGroupUpstreamDefinesThem() {
        assertThat(DEFINITIONS.get("io.k8s.api.core.v1.PodTemplateSpec")).isPresent();
        assertThat(DEFINITIONS.get("io.k8s.api.apps.v1.DeploymentStrategy")).isPresent();
        assertThat(DEFINITIONS.get("io.k8s.api.apps.v1.RollingUpdateDeployment")).isPresent();
        assertThat(DEFINITIONS.get("io.k8s.api.batch.v1.JobTemplateSpec")).isPresent();
        assertThat(DEFINITIONS.get("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector")).isPresent();
        assertThat(DEFINITIONS.get("io.k8s.api.core.v1.TopologySelectorTerm")).isPresent();
        assertThat(DEFINITIONS.get("io.k8s.api.core.v1.EndpointPort")).isPresent();
        assertThat(DEFINITIONS.get("io.k8s.api.discovery.v1.EndpointPort")).isPresent();
        assertThat(DEFINITIONS.get("io.k8s.api.rbac.v1.Subject")).isPresent();
        assertThat(DEFINITIONS.get("io.k8s.api.autoscaling.v2.MetricSpec")).isPresent();
        assertThat(DEFINITIONS.nameOf(new GroupVersionKind("events.k8s.io", "v1", "Event")))
                .contains("io.k8s.api.events.v1.Event");
        assertThat(DEFINITIONS.nameOf(new GroupVersionKind("", "v1", "Event"))).contains("io.k8s.api.core.v1.Event");
        assertThat(DEFINITIONS.nameOf(new GroupVersionKind("authentication.k8s.io", "v1", "TokenRequest")))
                .contains("io.k8s.api.authentication.v1.TokenRequest");
        assertThat(DEFINITIONS.nameOf(new GroupVersionKind("autoscaling", "v1", "Scale")))
                .contains("io.k8s.api.autoscaling.v1.Scale");
        assertThat(DEFINITIONS.nameOf(new GroupVersionKind("apiextensions.k8s.io", "v1",
                "CustomResourceDefinition")))
                .contains("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition");
        assertThat(DEFINITIONS.all().keySet()).allSatisfy(name -> assertThat(name).startsWith("io.k8s."));
    }

    @Test
    void everyBuiltinKindHasItsDefinition() {
        for (GroupVersionKind kind : BuiltinDefinitions.standardKinds()) {
            String name = DEFINITIONS.nameOf(kind).orElseThrow(() -> new AssertionError("no definition of " + kind));
            assertThat(name).endsWith("." + kind.version() + "." + kind.kind());
            assertThat(object(name).kinds()).contains(kind);
        }
    }

    @Test
    void valueTypesKeepTheirJsonForms() {
        assertThat(property("io.k8s.api.apps.v1.RollingUpdateDeployment", "maxSurge").type())
                .isEqualTo(new Reference(BuiltinDefinitions.INT_OR_STRING));
        assertThat(DEFINITIONS.get(BuiltinDefinitions.INT_OR_STRING).orElseThrow())
                .isInstanceOfSatisfying(ScalarDefinition.class, s -> {
                    assertThat(s.format()).isEqualTo("int-or-string");
                    assertThat(s.v3OneOf()).containsExactly("integer", "string");
                });
        assertThat(property("io.k8s.api.core.v1.Secret", "data").type())
                .isEqualTo(new MapOf(new Primitive("string", "byte")));
        assertThat(property("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "creationTimestamp").type())
                .isEqualTo(new Reference(BuiltinDefinitions.TIME));
        assertThat(property("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta", "continue").type())
                .isEqualTo(new Primitive("string", null));
        String schemaProps = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps";
        assertThat(property(schemaProps, "$ref").type()).isEqualTo(new Primitive("string", null));
        assertThat(property(schemaProps, "x-kubernetes-preserve-unknown-fields").type())
                .isEqualTo(new Primitive("boolean", null));
        assertThat(property(schemaProps, "properties").type()).isEqualTo(new MapOf(new Reference(schemaProps)));
        assertThat(property(schemaProps, "default").type()).isEqualTo(new PropertyType.AnyValue());
    }
}
