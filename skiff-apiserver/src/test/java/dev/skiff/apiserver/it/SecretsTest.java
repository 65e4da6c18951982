package dev.skiff.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets as upstream stores them: {@code stringData} (write-only) folded into {@code data} on create, patch and
 * server-side apply, and the Secret validation rules; through a real server and the fabric8 client.
 */
class SecretsTest {

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

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private Secret get(String name) {
        return client.secrets().inNamespace("default").withName(name).get();
    }

    @Test
    void stringDataIsFoldedIntoDataOnEveryKindOfWrite() {
        client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("s")
                .endMetadata().withData(Map.of("kept", base64("old"), "both", base64("from-data")))
                .withStringData(Map.of("both", "from-stringData", "plain", "text")).build()).create();

        Secret created = get("s");
        // stringData wins over data for a key in both, and is never stored or returned
        assertThat(created.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("kept", base64("old"),
                "both", base64("from-stringData"), "plain", base64("text")));
        assertThat(created.getStringData()).isNullOrEmpty();
        assertThat(created.getType()).isEqualTo("Opaque");

        // the strategic merge patch helm sends on upgrade carries stringData again
        client.secrets().inNamespace("default").withName("s").patch(
                PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"stringData\":{\"plain\":\"changed\"}}");
        assertThat(get("s").getData()).containsEntry("plain", base64("changed")).containsEntry("kept", base64("old"));
        client.secrets().inNamespace("default").withName("s").patch(
                PatchContext.of(PatchType.JSON_MERGE), "{\"stringData\":{\"merged\":\"yes\"}}");
        assertThat(get("s").getData()).containsEntry("merged", base64("yes"));

        client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("applied")
                .endMetadata().withStringData(Map.of("k", "v")).build()).forceConflicts().serverSideApply();
        assertThat(get("applied").getData()).containsExactlyEntriesOf(Map.of("k", base64("v")));
        assertThat(get("applied").getStringData()).isNullOrEmpty();
    }

    @Test
    void invalidKeysTypeChangesAndChangesToImmutableSecretsAreRefused() {
        assertThatThrownBy(() -> client.secrets().inNamespace("default").resource(new SecretBuilder()
                .withNewMetadata().withName("bad").endMetadata().withStringData(Map.of("no spaces", "x")).build())
                .create()).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getDetails().getCauses()).singleElement()
                            .satisfies(cause -> assertThat(cause.getField()).isEqualTo("data[no spaces]"));
                    assertThat(e.getStatus().getMessage()).startsWith("Secret \"bad\" is invalid: "
                            + "data[no spaces]: Invalid value: \"no spaces\": a valid config key must consist of");
                });
        assertThat(get("bad")).isNull();

        client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("frozen")
                .endMetadata().withImmutable(true).withStringData(Map.of("k", "v")).build()).create();
        assertThatThrownBy(() -> client.secrets().inNamespace("default").withName("frozen").patch(
                PatchContext.of(PatchType.JSON_MERGE), "{\"type\":\"example.com/other\",\"data\":{\"k\":null}}"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getDetails().getCauses()).extracting(cause -> cause.getField())
                            .containsExactly("type", "data");
                });
        assertThat(get("frozen").getData()).containsEntry("k", base64("v"));
        assertThat(get("frozen").getType()).isEqualTo("Opaque");
    }
}
