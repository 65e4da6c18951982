package dev.skiff.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Server-side apply at the protocol level: status codes and messages, dry run, JSON bodies, fabric8's apply. */
class ServerSideApplyHttpTest {

    private static final String CONFIG_MAPS = "/api/v1/namespaces/default/configmaps/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ApiServerFixture cluster;
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        cluster = ApiServerFixture.start(dir);
        client = cluster.adminClient();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private record Answer(int code, JsonNode body) {
    }

    private Answer patch(String path, String contentType, String body) throws Exception {
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder().uri(cluster.url() + path)
                .method("PATCH", contentType, body).build();
        HttpResponse<String> response = client.getHttpClient().sendAsync(request, String.class)
                .get(30, TimeUnit.SECONDS);
        return new Answer(response.code(), JSON.readTree(response.body()));
    }

    private Answer apply(String name, String query, String yaml) throws Exception {
        return patch(CONFIG_MAPS + name + query, "application/apply-patch+yaml", yaml);
    }

    @Test
    void applyCreatesWith201AndUpdatesWith200() throws Exception {
        Answer created = apply("c1", "?fieldManager=tool", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                + "\"metadata\":{\"name\":\"c1\"},\"data\":{\"a\":\"1\"}}");
        assertThat(created.code()).isEqualTo(201);
        assertThat(created.body().at("/metadata/namespace").asText()).isEqualTo("default");
        assertThat(created.body().at("/metadata/managedFields/0/manager").asText()).isEqualTo("tool");
        assertThat(created.body().at("/metadata/managedFields/0/fieldsV1").toString())
                .isEqualTo("{\"f:data\":{\"f:a\":{}}}");
        Answer updated = apply("c1", "?fieldManager=tool", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c1}
                data: {b: "2"}
                """);
        assertThat(updated.code()).isEqualTo(200);
        assertThat(updated.body().path("data").toString()).isEqualTo("{\"b\":\"2\"}");
    }

    @Test
    void requestsAreCheckedAsUpstreamChecksThem() throws Exception {
        String body = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c2}\n";
        Answer noManager = apply("c2", "", body);
        assertThat(noManager.code()).isEqualTo(422);
        assertThat(noManager.body().path("message").asText()).isEqualTo("PatchOptions.meta.k8s.io \"\" is invalid: "
                + "fieldManager: Required value: is required for apply patch");

        Answer wrongKind = apply("c2", "?fieldManager=t", "apiVersion: v1\nkind: Secret\nmetadata: {name: c2}\n");
        assertThat(wrongKind.code()).isEqualTo(400);
        assertThat(wrongKind.body().path("message").asText()).isEqualTo("invalid object type: /v1, Kind=Secret");

        Answer wrongName = apply("c2", "?fieldManager=t", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
        assertThat(wrongName.code()).isEqualTo(400);
        assertThat(wrongName.body().path("message").asText())
                .isEqualTo("the name of the object (x) does not match the name on the URL (c2)");

        Answer withManaged = apply("c2", "?fieldManager=t", body.replace("{name: c2}",
                "{name: c2, managedFields: []}"));
        assertThat(withManaged.code()).isEqualTo(400);
        assertThat(withManaged.body().path("message").asText()).isEqualTo("metadata.managedFields must be nil");

        Answer forceOnMerge = patch(CONFIG_MAPS + "c2?force=true", "application/merge-patch+json", "{}");
        assertThat(forceOnMerge.code()).isEqualTo(422);
        assertThat(forceOnMerge.body().path("message").asText()).contains("force: Forbidden: may not be specified "
                + "for non-apply patch");

        Answer dryRun = apply("c2", "?fieldManager=t&dryRun=All", body);
        assertThat(dryRun.code()).isEqualTo(201);
        assertThat(client.configMaps().inNamespace("default").withName("c2").get()).isNull();
    }

    @Test
    void conflictsAreStatusObjectsAndNothingIsStored() throws Exception {
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("c3").endMetadata().addToData("a", "1").build()).create();
        Answer conflict = apply("c3", "?fieldManager=tool", "{apiVersion: v1, kind: ConfigMap, metadata: {name: c3}, "
                + "data: {a: '2'}}");
        assertThat(conflict.code()).isEqualTo(409);
        assertThat(conflict.body().path("kind").asText()).isEqualTo("Status");
        assertThat(conflict.body().path("reason").asText()).isEqualTo("Conflict");
        assertThat(conflict.body().at("/details/causes/0/reason").asText()).isEqualTo("FieldManagerConflict");
        assertThat(conflict.body().at("/details/causes/0/field").asText()).isEqualTo(".data.a");
        // fabric8's own User-Agent names the creating manager.
        assertThat(conflict.body().path("message").asText())
                .startsWith("Apply failed with 1 conflict: conflict with \"fabric8-kubernetes-client\" using v1");
        assertThat(client.configMaps().inNamespace("default").withName("c3").get().getData())
                .containsEntry("a", "1");
    }

    @Test
    void fabric8ServerSideApplyWorks() {
        ConfigMap applied = client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("c4").endMetadata().addToData("k", "v").build())
                .fieldManager("fabric8-apply").forceConflicts().serverSideApply();
        assertThat(applied.getData()).containsEntry("k", "v");
        assertThat(applied.getMetadata().getManagedFields()).singleElement().satisfies(entry -> {
            assertThat(entry.getManager()).isEqualTo("fabric8-apply");
            assertThat(entry.getOperation()).isEqualTo("Apply");
        });
    }
}
