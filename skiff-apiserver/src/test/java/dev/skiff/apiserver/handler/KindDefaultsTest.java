package dev.skiff.apiserver.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.resource.ResourceCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KindDefaultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ResourceCatalog catalog = ResourceCatalog.builtin();

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void deploymentsGetUpstreamsDefaultsDownToTheirContainers() throws Exception {
        ObjectNode deployment = json("{'spec':{'selector':{'matchLabels':{'app':'web'}},'template':{'spec':"
                + "{'containers':[{'name':'web','image':'nginx:1.27','ports':[{'containerPort':80}]}]}}}}");

        KindDefaults.apply(catalog.find("apps", "v1", "deployments").orElseThrow(), deployment);

        ObjectNode spec = (ObjectNode) deployment.get("spec");
        assertThat(spec.path("replicas").asInt()).isEqualTo(1);
        assertThat(spec.path("revisionHistoryLimit").asInt()).isEqualTo(10);
        assertThat(spec.path("strategy").path("rollingUpdate").path("maxSurge").asText()).isEqualTo("25%");
        ObjectNode pod = (ObjectNode) spec.path("template").path("spec");
        assertThat(pod.path("restartPolicy").asText()).isEqualTo("Always");
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isEqualTo(30);
        assertThat(pod.path("containers").get(0).path("imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        assertThat(pod.path("containers").get(0).path("ports").get(0).path("protocol").asText()).isEqualTo("TCP");
    }

    @Test
    void givenValuesAreKept() throws Exception {
        ObjectNode pod = json("{'spec':{'restartPolicy':'Never','containers':[{'name':'a','image':'x',"
                + "'imagePullPolicy':'Never'}]}}");

        KindDefaults.apply(catalog.find("", "v1", "pods").orElseThrow(), pod);

        assertThat(pod.path("spec").path("restartPolicy").asText()).isEqualTo("Never");
        assertThat(pod.path("spec").path("containers").get(0).path("imagePullPolicy").asText()).isEqualTo("Never");
    }

    @Test
    void servicesTargetTheirPortByDefault() throws Exception {
        ObjectNode service = json("{'spec':{'ports':[{'port':80}]}}");

        KindDefaults.apply(catalog.find("", "v1", "services").orElseThrow(), service);

        assertThat(service.path("spec").path("type").asText()).isEqualTo("ClusterIP");
        assertThat(service.path("spec").path("ports").get(0).path("targetPort").asInt()).isEqualTo(80);
        assertThat(service.path("spec").path("ports").get(0).path("protocol").asText()).isEqualTo("TCP");
    }

    @ParameterizedTest
    @CsvSource({"busybox,Always", "busybox:latest,Always", "busybox:1.36,IfNotPresent",
            "localhost:5000/app,Always", "localhost:5000/app:v2,IfNotPresent", "app@sha256:abc,IfNotPresent"})
    void imagePullPolicyFollowsTheTag(String image, String policy) {
        assertThat(KindDefaults.pullPolicy(image)).isEqualTo(policy);
    }
}
