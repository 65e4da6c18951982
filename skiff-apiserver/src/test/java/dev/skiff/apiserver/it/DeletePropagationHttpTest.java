package dev.skiff.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DeleteOptions' propagation over HTTP, as kube-apiserver answers it: Foreground and Orphan leave the object marked
 * with the garbage collector's finalizer, a later delete changes that finalizer, Background removes it; per-resource
 * defaults; upstream's validation errors.
 */
class DeletePropagationHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIGMAPS = "/api/v1/namespaces/default/configmaps/";

    @TempDir
    static Path dir;

    /** One server for the class: every test uses its own object names. */
    private static ApiServerFixture cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = ApiServerFixture.start(dir);
        client = cluster.adminClient();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private ConfigMap configMap(String name, String... finalizers) {
        return client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName(name).withFinalizers(finalizers).endMetadata().build()).create();
    }

    private ConfigMap get(String name) {
        return client.configMaps().inNamespace("default").withName(name).get();
    }

    private record Answer(int code, JsonNode body) {
    }

    private Answer delete(String pathAndQuery, String body) throws Exception {
        String base = cluster.url().replaceAll("/+$", "");
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder().uri(base + pathAndQuery)
                .method("DELETE", "application/json", body == null ? "" : body).build();
        HttpResponse<String> response = client.getHttpClient().sendAsync(request, String.class)
                .get(30, TimeUnit.SECONDS);
        return new Answer(response.code(), JSON.readTree(response.body()));
    }

    @Test
    void foregroundMarksTheObjectWithItsFinalizerAndKeepsOthers() throws Exception {
        configMap("front", "example.com/keep");

        Answer answer = delete(CONFIGMAPS + "front",
                "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"Foreground\"}");

        assertThat(answer.code()).isEqualTo(200);
        assertThat(answer.body().path("metadata").path("deletionTimestamp").isTextual()).isTrue();
        ConfigMap marked = get("front");
        assertThat(marked.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(marked.getMetadata().getFinalizers()).containsExactly("example.com/keep", "foregroundDeletion");
    }

    @Test
    void aLaterDeleteChangesTheFinalizerAndBackgroundEndsIt() throws Exception {
        configMap("switch");
        // The query parameter form kubectl does not use but other clients do.
        assertThat(delete(CONFIGMAPS + "switch?propagationPolicy=Orphan", null).code()).isEqualTo(200);
        ConfigMap orphaning = get("switch");
        assertThat(orphaning.getMetadata().getFinalizers()).containsExactly("orphan");
        String markedAt = orphaning.getMetadata().getDeletionTimestamp();

        client.configMaps().inNamespace("default").withName("switch")
                .withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
        ConfigMap foreground = get("switch");
        assertThat(foreground.getMetadata().getFinalizers()).containsExactly("foregroundDeletion");
        assertThat(foreground.getMetadata().getDeletionTimestamp()).isEqualTo(markedAt);

        // Background takes the last finalizer away: nothing is pending, so the object goes now.
        client.configMaps().inNamespace("default").withName("switch")
                .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        assertThat(get("switch")).isNull();
    }

    @Test
    void removingTheForegroundFinalizerRemovesTheMarkedObject() {
        configMap("finish");
        client.configMaps().inNamespace("default").withName("finish")
                .withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();

        client.configMaps().inNamespace("default").withName("finish")
                .edit(cm -> new ConfigMapBuilder(cm).editMetadata().withFinalizers(List.of()).endMetadata().build());

        assertThat(get("finish")).isNull();
    }

    @Test
    void legacyOrphanDependentsAndPerResourceDefaults() throws Exception {
        configMap("legacy");
        assertThat(delete(CONFIGMAPS + "legacy?orphanDependents=true", null).code()).isEqualTo(200);
        assertThat(get("legacy").getMetadata().getFinalizers()).containsExactly("orphan");
        delete(CONFIGMAPS + "legacy", "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"orphanDependents\":false}");
        assertThat(get("legacy")).isNull();

        // batch/v1 Jobs keep upstream's pre-garbage-collection default: a delete without options orphans.
        client.batch().v1().jobs().inNamespace("default").resource(new JobBuilder().withNewMetadata()
                .withName("batch").endMetadata().withNewSpec().withNewTemplate().withNewSpec()
                .withRestartPolicy("Never").addNewContainer().withName("c").withImage("busybox").endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        assertThat(delete("/apis/batch/v1/namespaces/default/jobs/batch", null).code()).isEqualTo(200);
        assertThat(client.batch().v1().jobs().inNamespace("default").withName("batch").get().getMetadata()
                .getFinalizers()).containsExactly("orphan");

        // Most resources default to Background: removed at once.
        configMap("plain");
        assertThat(delete(CONFIGMAPS + "plain", null).code()).isEqualTo(200);
        assertThat(get("plain")).isNull();
    }

    @Test
    void invalidOptionsAreRefusedAsUpstream() throws Exception {
        configMap("kept");

        Answer unsupported = delete(CONFIGMAPS + "kept?propagationPolicy=Sideways", null);
        assertThat(unsupported.code()).isEqualTo(422);
        assertThat(unsupported.body().path("reason").asText()).isEqualTo("Invalid");
        assertThat(unsupported.body().path("message").asText()).isEqualTo("DeleteOptions.meta.k8s.io \"\" is "
                + "invalid: propagationPolicy: Unsupported value: \"Sideways\": supported values: \"Foreground\", "
                + "\"Background\", \"Orphan\", \"nil\"");
        assertThat(unsupported.body().path("details").path("causes").get(0).path("field").asText())
                .isEqualTo("propagationPolicy");
        assertThat(unsupported.body().path("details").path("causes").get(0).path("reason").asText())
                .isEqualTo("FieldValueNotSupported");

        Answer both = delete(CONFIGMAPS + "kept", "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
                + "\"orphanDependents\":true,\"propagationPolicy\":\"Foreground\"}");
        assertThat(both.code()).isEqualTo(422);
        assertThat(both.body().path("message").asText()).isEqualTo("DeleteOptions.meta.k8s.io \"\" is invalid: "
                + "propagationPolicy: Invalid value: \"Foreground\": orphanDependents and deletionPropagation "
                + "cannot be both set");

        assertThat(get("kept")).isNotNull();
        assertThat(get("kept").getMetadata().getDeletionTimestamp()).isNull();
    }
}
