package dev.skiff.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.apiserver.cache.WatchSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watches survive an API server restart: a new server on the same data directory and port serves a watch resumed
 * from a resourceVersion taken before the restart with exactly the events after it (none lost, none repeated), and a
 * fabric8 informer (client-go's reflector in Java) carries on without relisting.
 */
class WatchAcrossRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private ApiServerFixture cluster;
    private KubernetesClient client;
    private RawClient raw;

    @BeforeEach
    void start() throws Exception {
        cluster = ApiServerFixture.start(dir, new WatchSettings(Duration.ofMillis(300)));
        connect();
    }

    private void connect() throws Exception {
        client = cluster.adminClient();
        raw = new RawClient(cluster.pki(), cluster.url());
    }

    private void disconnect() {
        if (raw != null) {
            raw.close();
        }
        if (client != null) {
            client.close();
        }
    }

    @AfterEach
    void stop() {
        disconnect();
        if (cluster != null) {
            cluster.close();
        }
    }

    private void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
    }

    private ConfigMap configMap(String namespace, String name, String value) {
        return client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
                .withName(name).endMetadata().withData(Map.of("k", value)).build()).create();
    }

    private static String describe(JsonNode event) {
        JsonNode metadata = event.path("object").path("metadata");
        return event.path("type").asText() + " " + metadata.path("name").asText() + "@"
                + metadata.path("resourceVersion").asText();
    }

    private static List<String> changes(List<JsonNode> events) {
        return events.stream().filter(e -> !e.path("type").asText().equals("BOOKMARK"))
                .map(WatchAcrossRestartTest::describe).toList();
    }

    @Test
    void aWatchResumedAfterARestartReceivesExactlyTheLaterEvents() throws Exception {
        namespace("restart");
        String beforeAll = raw.get("/api/v1/namespaces/restart/configmaps").body().path("metadata")
                .path("resourceVersion").asText();
        List<String> beforeRestart;
        String lastSeen;
        try (RawClient.Watch watch = raw.watch("/api/v1/namespaces/restart/configmaps?watch=1"
                + "&allowWatchBookmarks=true&resourceVersion=" + beforeAll)) {
            configMap("restart", "a", "1");
            client.configMaps().inNamespace("restart").withName("a")
                    .edit(cm -> new ConfigMapBuilder(cm).addToData("k", "2").build());
            configMap("restart", "b", "1");
            await().atMost(WAIT).until(() -> watch.changes().size() == 3);

            cluster.restart();
            // The old server's stream is cut; whatever the client had seen last is where it resumes from.
            await().atMost(WAIT).until(() -> watch.ended().isDone());
            beforeRestart = changes(watch.events());
            lastSeen = watch.events().getLast().path("object").path("metadata").path("resourceVersion").asText();
        }
        assertThat(beforeRestart).extracting(c -> c.substring(0, c.indexOf('@')))
                .containsExactly("ADDED a", "MODIFIED a", "ADDED b");

        disconnect();
        connect();
        ConfigMap c = configMap("restart", "c", "1");
        client.configMaps().inNamespace("restart").withName("a").delete();
        await().atMost(WAIT).until(() -> client.configMaps().inNamespace("restart").withName("a").get() == null);

        List<String> resumed = watchUntilTimeout("/api/v1/namespaces/restart/configmaps?watch=1&timeoutSeconds=2"
                + "&allowWatchBookmarks=true&resourceVersion=" + lastSeen);
        assertThat(resumed).extracting(e -> e.substring(0, e.indexOf('@')))
                .containsExactly("ADDED c", "DELETED a");
        assertThat(resumed.getFirst()).isEqualTo("ADDED c@" + c.getMetadata().getResourceVersion());

        // From the very first resourceVersion: the events from before the restart again, identical, then the later.
        List<String> fromTheStart = watchUntilTimeout("/api/v1/namespaces/restart/configmaps?watch=1"
                + "&timeoutSeconds=2&resourceVersion=" + beforeAll);
        assertThat(fromTheStart).startsWith(beforeRestart.toArray(String[]::new)).hasSize(5)
                .endsWith(resumed.toArray(String[]::new));

        assertThat(client.configMaps().inNamespace("restart").list().getItems())
                .extracting(cm -> cm.getMetadata().getName()).containsExactly("b", "c");
    }

    private List<String> watchUntilTimeout(String path) throws Exception {
        try (RawClient.Watch watch = raw.watch(path)) {
            assertThat(watch.status()).isEqualTo(200);
            await().atMost(WAIT).until(() -> watch.ended().isDone());
            assertThat(watch.endedCleanly()).isTrue();
            assertThat(watch.events()).noneMatch(e -> e.path("type").asText().equals("ERROR"));
            return changes(watch.events());
        }
    }

    @Test
    void anInformerCarriesOnAcrossARestartWithoutLosingOrRepeatingEvents() throws Exception {
        namespace("informed");
        List<String> seen = new CopyOnWriteArrayList<>();
        KubernetesClient informerClient = cluster.adminClient();
        try (SharedIndexInformer<ConfigMap> informer = informerClient.configMaps().inNamespace("informed")
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(ConfigMap obj) {
                        seen.add("add " + obj.getMetadata().getName() + "@" + obj.getMetadata().getResourceVersion());
                    }

                    @Override
                    public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                        seen.add("update " + newObj.getMetadata().getName() + "@"
                                + oldObj.getMetadata().getResourceVersion() + "->"
                                + newObj.getMetadata().getResourceVersion());
                    }

                    @Override
                    public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                        seen.add("delete " + obj.getMetadata().getName());
                    }
                })) {
            ConfigMap x1 = configMap("informed", "x1", "1");
            await().atMost(WAIT).until(() -> informer.getStore().getByKey("informed/x1") != null);

            cluster.restart();
            disconnect();
            connect();
            ConfigMap x2 = configMap("informed", "x2", "1");
            ConfigMap x1b = client.configMaps().inNamespace("informed").withName("x1")
                    .edit(cm -> new ConfigMapBuilder(cm).addToData("k", "2").build());
            client.configMaps().inNamespace("informed").withName("x2").delete();
            ConfigMap last = configMap("informed", "sentinel", "1");
            await().atMost(WAIT).until(() -> informer.getStore().getByKey("informed/sentinel") != null);

            assertThat(informer.getStore().getByKey("informed/x1").getMetadata().getResourceVersion())
                    .isEqualTo(x1b.getMetadata().getResourceVersion());
            assertThat(informer.getStore().getByKey("informed/x2")).isNull();
            // Exactly one notification per change: a relist would have repeated x1 (an update to the same version).
            assertThat(seen).containsExactly(
                    "add x1@" + x1.getMetadata().getResourceVersion(),
                    "add x2@" + x2.getMetadata().getResourceVersion(),
                    "update x1@" + x1.getMetadata().getResourceVersion() + "->"
                            + x1b.getMetadata().getResourceVersion(),
                    "delete x2",
                    "add sentinel@" + last.getMetadata().getResourceVersion());
        } finally {
            informerClient.close();
        }
    }
}
