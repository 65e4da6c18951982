package dev.skiff.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.apiserver.cache.WatchSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch protocol of kube-apiserver v1.32, event by event over raw HTTP: bookmarks (periodic, advanced by writes
 * to other resources), watch-list ({@code sendInitialEvents}), where a watch starts for each resourceVersion, the
 * timeout, 410 for compacted history, and the 422s of invalid option combinations.
 */
class WatchSemanticsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String WATCH_LIST = "&sendInitialEvents=true&resourceVersionMatch=NotOlderThan";

    @TempDir
    Path dir;

    private ApiServerFixture cluster;
    private KubernetesClient client;
    private RawClient raw;

    @BeforeEach
    void start() throws Exception {
        // A short bookmark interval, so that tests see several (kube-apiserver: a minute).
        cluster = ApiServerFixture.start(dir, new WatchSettings(Duration.ofMillis(200)));
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

    private void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
    }

    private ConfigMap configMap(String namespace, String name) {
        return client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
                .withName(name).endMetadata().withData(Map.of("k", "v")).build()).create();
    }

    private long secret(String namespace, String name) {
        return Long.parseLong(client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata()
                .withName(name).endMetadata().build()).create().getMetadata().getResourceVersion());
    }

    private String listVersion(String namespace) throws Exception {
        return raw.get("/api/v1/namespaces/" + namespace + "/configmaps").body().path("metadata")
                .path("resourceVersion").asText();
    }

    private static long rv(JsonNode event) {
        return Long.parseLong(event.path("object").path("metadata").path("resourceVersion").asText());
    }

    private static boolean isBookmark(JsonNode event) {
        return event.path("type").asText().equals("BOOKMARK");
    }

    private static boolean endsInitialEvents(JsonNode event) {
        return isBookmark(event) && event.path("object").path("metadata").path("annotations")
                .path("k8s.io/initial-events-end").asText().equals("true");
    }

    @Test
    void bookmarksReportTheLatestRevisionEvenWhenOnlyOtherResourcesChange() throws Exception {
        namespace("quiet");
        String from = listVersion("quiet");
        try (RawClient.Watch watch = raw.watch("/api/v1/namespaces/quiet/configmaps?watch=1&resourceVersion=" + from
                + "&allowWatchBookmarks=true")) {
            long elsewhere = secret("quiet", "not-a-configmap");

            await().atMost(WAIT).until(() -> watch.events().stream().anyMatch(e -> isBookmark(e) && rv(e) >= elsewhere));
            assertThat(watch.changes()).as("no configmap changed").isEmpty();
            List<JsonNode> bookmarks = watch.events();
            assertThat(bookmarks).extracting(WatchSemanticsTest::rv).isSorted().allMatch(r -> r > Long.parseLong(from));
            JsonNode object = bookmarks.getLast().path("object");
            assertThat(object.path("kind").asText()).isEqualTo("ConfigMap");
            assertThat(object.path("apiVersion").asText()).isEqualTo("v1");
            assertThat(object.path("metadata").properties()).extracting(Map.Entry::getKey)
                    .containsExactly("resourceVersion");
            assertThat(object.properties()).hasSize(3);
        }
    }

    @Test
    void bookmarksAreSentOnlyToWatchesThatAllowThem() throws Exception {
        namespace("plain");
        String from = listVersion("plain");
        // Written before the watch opens (it replays them from the window), so its whole life has news to report.
        secret("plain", "s1");
        configMap("plain", "c1");
        secret("plain", "s2");
        try (RawClient.Watch without = raw.watch("/api/v1/namespaces/plain/configmaps?watch=1&timeoutSeconds=2"
                + "&resourceVersion=" + from)) {
            await().atMost(WAIT).until(() -> without.ended().isDone());
            assertThat(without.events()).extracting(e -> e.path("type").asText()).containsExactly("ADDED");
        }
    }

    @Test
    void aWatchListSendsTheStateThenTheEndBookmarkThenTheChanges() throws Exception {
        namespace("wl");
        ConfigMap a = configMap("wl", "a");
        ConfigMap b = configMap("wl", "b");
        // resourceVersion=N with NotOlderThan: a state at least as new as N, here including b, written after a.
        try (RawClient.Watch watch = raw.watch("/api/v1/namespaces/wl/configmaps?watch=1&allowWatchBookmarks=true"
                + WATCH_LIST + "&resourceVersion=" + a.getMetadata().getResourceVersion())) {
            await().atMost(WAIT).until(() -> watch.events().size() >= 3);
            configMap("wl", "c");
            await().atMost(WAIT).until(() -> watch.changes().size() == 3);

            List<JsonNode> events = watch.events();
            assertThat(watch.changes()).containsExactly("ADDED a", "ADDED b", "ADDED c");
            assertThat(events.get(0).path("type").asText()).isEqualTo("ADDED");
            assertThat(events.get(1).path("type").asText()).isEqualTo("ADDED");
            assertThat(endsInitialEvents(events.get(2))).as("the initial-events-end bookmark: %s", events.get(2))
                    .isTrue();
            assertThat(rv(events.get(2))).isGreaterThanOrEqualTo(Long.parseLong(b.getMetadata().getResourceVersion()));
            assertThat(events.stream().filter(WatchSemanticsTest::endsInitialEvents)).hasSize(1);
        }
    }

    @Test
    void aWatchListIsConsistentWithoutAResourceVersion() throws Exception {
        namespace("consistent");
        configMap("consistent", "just-written");
        try (RawClient.Watch watch = raw.watch("/api/v1/namespaces/consistent/configmaps?watch=1"
                + "&allowWatchBookmarks=true" + WATCH_LIST)) {
            await().atMost(WAIT).until(() -> watch.events().stream().anyMatch(WatchSemanticsTest::endsInitialEvents));
            assertThat(watch.changes()).containsExactly("ADDED just-written");
        }
    }

    @Test
    void withoutBookmarksAWatchListHasNoEndBookmark() throws Exception {
        namespace("nobm");
        configMap("nobm", "x");
        try (RawClient.Watch watch = raw.watch("/api/v1/namespaces/nobm/configmaps?watch=1&timeoutSeconds=1"
                + WATCH_LIST)) {
            assertThat(watch.status()).isEqualTo(200);
            await().atMost(WAIT).until(() -> watch.ended().isDone());
            assertThat(watch.events()).extracting(e -> e.path("type").asText()).containsExactly("ADDED");
        }
    }

    @Test
    void sendInitialEventsFalseStartsAtTheLatestRevision() throws Exception {
        namespace("fromnow");
        configMap("fromnow", "old");
        for (String rv : List.of("", "0")) {
            try (RawClient.Watch watch = raw.watch("/api/v1/namespaces/fromnow/configmaps?watch=1"
                    + "&sendInitialEvents=false&resourceVersionMatch=NotOlderThan&resourceVersion=" + rv)) {
                // The watch is registered once its headers have arrived; a write after that is a change it sees.
                configMap("fromnow", "new-" + rv.length());
                await().atMost(WAIT).until(() -> !watch.changes().isEmpty());
                assertThat(watch.changes()).as("resourceVersion=%s", rv).containsExactly("ADDED new-" + rv.length());
            }
        }
    }

    @Test
    void legacyWatchesWithoutAResourceVersionStartWithTheState() throws Exception {
        namespace("legacy");
        configMap("legacy", "there");
        for (String rv : List.of("", "0")) {
            try (RawClient.Watch plain = raw.watch("/api/v1/namespaces/legacy/configmaps?watch=1&timeoutSeconds=1"
                    + "&resourceVersion=" + rv)) {
                await().atMost(WAIT).until(() -> plain.ended().isDone());
                assertThat(plain.events()).extracting(e -> e.path("type").asText()).as("rv=%s", rv)
                        .containsExactly("ADDED");
            }
            // v1.32 defaults such a watch to sendInitialEvents=true: with bookmarks it ends its state with one.
            try (RawClient.Watch withBookmarks = raw.watch("/api/v1/namespaces/legacy/configmaps?watch=1"
                    + "&allowWatchBookmarks=true&resourceVersion=" + rv)) {
                await().atMost(WAIT).until(() -> withBookmarks.events().size() >= 2);
                assertThat(withBookmarks.changes()).containsExactly("ADDED there");
                assertThat(endsInitialEvents(withBookmarks.events().get(1))).isTrue();
            }
        }
    }

    @Test
    void aResourceVersionWithoutInitialEventsReceivesExactlyTheLaterChanges() throws Exception {
        namespace("exact");
        ConfigMap first = configMap("exact", "first");
        configMap("exact", "second");
        client.configMaps().inNamespace("exact").withName("first").delete();
        try (RawClient.Watch watch = raw.watch("/api/v1/namespaces/exact/configmaps?watch=1&timeoutSeconds=1"
                + "&resourceVersion=" + first.getMetadata().getResourceVersion())) {
            await().atMost(WAIT).until(() -> watch.ended().isDone());
            assertThat(watch.changes()).containsExactly("ADDED second", "DELETED first");
        }
    }

    @Test
    void aWatchEndsCleanlyAtItsTimeout() throws Exception {
        try (RawClient.Watch watch = raw.watch("/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1"
                + "&resourceVersion=" + listVersion("default"))) {
            await().atMost(WAIT).until(() -> watch.ended().isDone());
            assertThat(watch.endedCleanly()).as("the chunked response was terminated properly").isTrue();
            assertThat(watch.events()).isEmpty();
        }
    }

    @Test
    void aCompactedResourceVersionIsAnErrorEventWith410() throws Exception {
        namespace("compacted");
        for (int i = 0; i < 3; i++) {
            configMap("compacted", "c" + i);
        }
        long compactedTo = cluster.backend().compact(cluster.backend().currentRevision());
        // Revision 2 predates the cache's window (it starts when the server starts) and storage's history.
        try (RawClient.Watch watch = raw.watch("/api/v1/namespaces/compacted/configmaps?watch=1&resourceVersion=2")) {
            await().atMost(WAIT).until(() -> watch.ended().isDone());
            assertThat(watch.status()).isEqualTo(200);
            assertThat(watch.events()).hasSize(1);
            JsonNode error = watch.events().getFirst();
            assertThat(error.path("type").asText()).isEqualTo("ERROR");
            assertThat(error.path("object").path("kind").asText()).isEqualTo("Status");
            assertThat(error.path("object").path("code").asInt()).isEqualTo(410);
            assertThat(error.path("object").path("reason").asText()).isEqualTo("Expired");
            assertThat(error.path("object").path("message").asText())
                    .isEqualTo("too old resource version: 2 (" + compactedTo + ")");
        }
    }

    @Test
    void invalidOptionCombinationsAre422LikeUpstream() throws Exception {
        String base = "/api/v1/namespaces/default/configmaps";
        assertInvalid(base + "?watch=1&sendInitialEvents=true",
                "resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to "
                        + "NotOlderThan");
        assertInvalid(base + "?watch=1&resourceVersionMatch=NotOlderThan",
                "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless "
                        + "sendInitialEvents is provided");
        assertInvalid(base + "?watch=1&sendInitialEvents=true&resourceVersionMatch=Exact",
                "[resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to "
                        + "NotOlderThan, resourceVersionMatch: Unsupported value: \"Exact\": supported values: "
                        + "\"NotOlderThan\"]");
        assertInvalid(base + "?sendInitialEvents=true",
                "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list");
        assertInvalid(base + "?resourceVersionMatch=NotOlderThan",
                "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is "
                        + "provided");
        assertInvalid(base + "?resourceVersion=0&resourceVersionMatch=Exact",
                "resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion "
                        + "\"0\"");
    }

    private void assertInvalid(String path, String summary) throws Exception {
        RawClient.Response response = raw.get(path);
        assertThat(response.status()).as(path).isEqualTo(422);
        assertThat(response.body().path("reason").asText()).isEqualTo("Invalid");
        assertThat(response.body().path("message").asText())
                .isEqualTo("ListOptions.meta.k8s.io \"\" is invalid: " + summary);
        assertThat(response.body().path("details").path("kind").asText()).isEqualTo("ListOptions");
        assertThat(response.body().path("details").path("group").asText()).isEqualTo("meta.k8s.io");
        assertThat(response.body().path("details").path("causes").get(0).path("field").asText())
                .isEqualTo(summary.startsWith("sendInitialEvents") ? "sendInitialEvents" : "resourceVersionMatch");
    }
}
