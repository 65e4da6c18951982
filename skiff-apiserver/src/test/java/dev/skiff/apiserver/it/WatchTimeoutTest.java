package dev.skiff.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With kube-apiserver's default bookmark interval (a minute), a short watch still gets one bookmark: 2 s before its
 * timeout, so that the client re-watches from the latest revision; then the watch ends cleanly.
 */
class WatchTimeoutTest {

    @TempDir
    Path dir;

    private ApiServerFixture cluster;
    private KubernetesClient client;
    private RawClient raw;

    @BeforeEach
    void start() throws Exception {
        cluster = ApiServerFixture.start(dir);
        client = cluster.adminClient();
        raw = new RawClient(cluster.pki(), cluster.url());
    }

    @AfterEach
    void stop() {
        if (raw != null) {
            raw.close();
        }
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aBookmarkComesJustBeforeTheTimeout() throws Exception {
        String from = raw.get("/api/v1/namespaces/default/configmaps").body().path("metadata")
                .path("resourceVersion").asText();
        // Storage moves on (elsewhere) after the resourceVersion the watch starts from.
        long elsewhere = Long.parseLong(client.secrets().inNamespace("default").resource(new SecretBuilder()
                .withNewMetadata().withName("s").endMetadata().build()).create().getMetadata().getResourceVersion());
        try (RawClient.Watch watch = raw.watch("/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=4"
                + "&allowWatchBookmarks=true&resourceVersion=" + from)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> watch.ended().isDone());

            assertThat(watch.endedCleanly()).isTrue();
            List<JsonNode> events = watch.events();
            assertThat(events).hasSize(1);
            assertThat(events.getFirst().path("type").asText()).isEqualTo("BOOKMARK");
            assertThat(Long.parseLong(events.getFirst().path("object").path("metadata").path("resourceVersion")
                    .asText())).isGreaterThanOrEqualTo(elsewhere);
        }
    }
}
