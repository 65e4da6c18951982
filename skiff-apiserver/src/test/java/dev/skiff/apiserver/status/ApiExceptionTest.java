package dev.skiff.apiserver.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiExceptionTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void notFoundReadsLikeKubeApiserver() throws Exception {
        ApiException e = ApiException.notFound("apps", "deployments", "web");

        JsonNode status = json.valueToTree(e.status());
        assertThat(status.path("kind").asText()).isEqualTo("Status");
        assertThat(status.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(status.path("metadata").isObject()).isTrue();
        assertThat(status.path("status").asText()).isEqualTo("Failure");
        assertThat(status.path("message").asText()).isEqualTo("deployments.apps \"web\" not found");
        assertThat(status.path("reason").asText()).isEqualTo("NotFound");
        assertThat(status.path("code").asInt()).isEqualTo(404);
        assertThat(status.path("details").path("name").asText()).isEqualTo("web");
        assertThat(status.path("details").path("group").asText()).isEqualTo("apps");
        assertThat(status.path("details").path("kind").asText()).isEqualTo("deployments");
        assertThat(status.path("details").has("causes")).isFalse();
    }

    @Test
    void invalidNamesEachFieldInItsCauses() {
        ApiException e = ApiException.invalid("", "Pod", "Bad_Name", List.of(
                new Status.Cause("FieldValueInvalid", "Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain "
                        + "must consist of lower case alphanumeric characters, '-' or '.'", "metadata.name"),
                new Status.Cause("FieldValueRequired", "Required value", "spec.containers")));

        JsonNode status = json.valueToTree(e.status());
        assertThat(status.path("code").asInt()).isEqualTo(422);
        assertThat(status.path("reason").asText()).isEqualTo("Invalid");
        assertThat(status.path("message").asText()).startsWith("Pod \"Bad_Name\" is invalid: [metadata.name: ");
        assertThat(status.path("details").path("kind").asText()).isEqualTo("Pod");
        assertThat(status.path("details").path("causes")).hasSize(2);
        assertThat(status.path("details").path("causes").get(1).path("field").asText()).isEqualTo("spec.containers");
    }

    @Test
    void staleWritesAreConflicts() {
        ApiException e = ApiException.staleResourceVersion("", "configmaps", "cfg");

        assertThat(e.code()).isEqualTo(409);
        assertThat(e.getMessage()).isEqualTo("Operation cannot be fulfilled on configmaps \"cfg\": the object has "
                + "been modified; please apply your changes to the latest version and try again");
    }
}
