package dev.skiff.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fabric8 Kubernetes client, unchanged, against a real Skiff API server over mutual TLS. */
class Fabric8ClientTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

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

    private static ConfigMap configMap(String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withLabels(Map.of("app", "demo"))
                .endMetadata().withData(Map.of("key", value)).build();
    }

    @Test
    void crudOfNamespacesAndConfigMaps() {
        assertThat(client.namespaces().list().getItems()).extracting(n -> n.getMetadata().getName())
                .contains("default", "kube-system", "kube-public", "kube-node-lease");
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata()
                .build()).create();

        ConfigMap created = client.configMaps().inNamespace("team").resource(configMap("cfg", "one")).create();
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getResourceVersion()).isNotBlank();

        ConfigMap fetched = client.configMaps().inNamespace("team").withName("cfg").get();
        assertThat(fetched.getData()).containsEntry("key", "one");

        fetched.getData().put("key", "two");
        ConfigMap updated = client.configMaps().inNamespace("team").resource(fetched).update();
        assertThat(updated.getData()).containsEntry("key", "two");

        // A stale resourceVersion is a 409 Conflict.
        fetched.getData().put("key", "stale");
        assertThatThrownBy(() -> client.configMaps().inNamespace("team").resource(fetched).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

        ConfigMap patched = client.configMaps().inNamespace("team").withName("cfg")
                .edit(cm -> new ConfigMapBuilder(cm).addToData("extra", "x").build());
        assertThat(patched.getData()).containsEntry("extra", "x").containsEntry("key", "two");

        assertThat(client.configMaps().inNamespace("team").withLabel("app", "demo").list().getItems()).hasSize(1);
        assertThat(client.configMaps().inNamespace("team").withLabel("app", "other").list().getItems()).isEmpty();

        assertThat(client.configMaps().inNamespace("team").withName("cfg").delete()).hasSize(1);
        assertThat(client.configMaps().inNamespace("team").withName("cfg").get()).isNull();
    }

    @Test
    void aListBiggerThanTheStreamingThresholdArrivesWhole() throws Exception {
        // 48 ConfigMaps of 32 KiB: about 1.5 MiB of JSON, so the watch cache's list is streamed in chunks.
        String value = "v".repeat(32 * 1024);
        for (int i = 0; i < 48; i++) {
            client.configMaps().inNamespace("default").resource(configMap("big-" + i, value + i)).create();
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(client.configMaps().inNamespace("default")
                .withLabel("app", "demo").list().getItems()).hasSize(48));

        List<ConfigMap> listed = client.configMaps().inNamespace("default").withLabel("app", "demo").list()
                .getItems();
        assertThat(listed).extracting(c -> c.getData().get("key"))
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 48)
                        .mapToObj(i -> value + i).toList());
        // Over plain HTTP/1.1 (chunked) too, with the list's envelope intact.
        try (RawClient raw = new RawClient(cluster.pki(), cluster.url())) {
            RawClient.Response response = raw.get("/api/v1/namespaces/default/configmaps?labelSelector=app%3Ddemo");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body().path("kind").asText()).isEqualTo("ConfigMapList");
            assertThat(response.body().path("metadata").path("resourceVersion").asText()).isNotEmpty();
            assertThat(response.body().path("items")).hasSize(48);
            // Compressed for a client that accepts gzip, as upstream compresses responses over 128 KiB.
            RawClient.Response gzipped = raw.getGzipped(
                    "/api/v1/namespaces/default/configmaps?labelSelector=app%3Ddemo");
            assertThat(gzipped.status()).isEqualTo(200);
            assertThat(gzipped.body().path("items")).hasSize(48);
            assertThat(gzipped.body().path("items").get(0).path("data").path("key").asText()).startsWith(value);
        }
    }

    @Test
    void aGetRightAfterAWriteNeverAnswersTheCachedPreviousVersion() {
        // GETs are answered from the watch cache's bytes only when they are storage's current revision: a read that
        // follows a write must see the write even while the cache has not applied it yet.
        ConfigMap current = client.configMaps().inNamespace("default").resource(configMap("fresh", "0")).create();
        for (int i = 1; i <= 20; i++) {
            current.getData().put("key", Integer.toString(i));
            ConfigMap written = client.configMaps().inNamespace("default").resource(current).update();
            ConfigMap read = client.configMaps().inNamespace("default").withName("fresh").get();
            assertThat(read.getData()).containsEntry("key", Integer.toString(i));
            assertThat(read.getMetadata().getResourceVersion())
                    .isEqualTo(written.getMetadata().getResourceVersion());
            current = read;
        }
        // Once the cache has caught up, the answer (now from the cache) is the same object.
        String last = current.getMetadata().getResourceVersion();
        await().atMost(WAIT).untilAsserted(() -> assertThat(client.configMaps().inNamespace("default")
                .withName("fresh").get().getMetadata().getResourceVersion()).isEqualTo(last));
        assertThat(client.configMaps().inNamespace("default").withName("fresh").get().getData())
                .containsEntry("key", "20");
    }

    @Test
    void errorsAreKubernetesStatuses() {
        assertThatThrownBy(() -> client.configMaps().inNamespace("nope").resource(configMap("x", "y")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(404);
                    assertThat(e.getStatus().getMessage()).isEqualTo("namespaces \"nope\" not found");
                });
        assertThatThrownBy(() -> client.configMaps().inNamespace("default").resource(configMap("Bad_Name", "y"))
                .create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
                    assertThat(e.getStatus().getDetails().getCauses().get(0).getField()).isEqualTo("metadata.name");
                });
        client.configMaps().inNamespace("default").resource(configMap("dup", "1")).create();
        assertThatThrownBy(() -> client.configMaps().inNamespace("default").resource(configMap("dup", "2")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void watchesDeliverChangesAndResumeFromAResourceVersion() {
        List<String> events = new CopyOnWriteArrayList<>();
        String listVersion = client.configMaps().inNamespace("default").list().getMetadata().getResourceVersion();
        try (var watch = client.configMaps().inNamespace("default").withResourceVersion(listVersion)
                .watch(new Watcher<ConfigMap>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap resource) {
                        events.add(action + " " + resource.getMetadata().getName());
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                })) {
            client.configMaps().inNamespace("default").resource(configMap("w1", "a")).create();
            client.configMaps().inNamespace("default").withName("w1")
                    .edit(cm -> new ConfigMapBuilder(cm).addToData("b", "c").build());
            client.configMaps().inNamespace("default").withName("w1").delete();
            await().atMost(WAIT).until(() -> events.size() == 3);
        }
        assertThat(events).containsExactly("ADDED w1", "MODIFIED w1", "DELETED w1");
    }

    @Test
    void informersListThenWatch() {
        client.configMaps().inNamespace("default").resource(configMap("pre", "1")).create();
        try (var informer = client.configMaps().inNamespace("default").inform()) {
            await().atMost(WAIT).until(() -> informer.getStore().getByKey("default/pre") != null);
            client.configMaps().inNamespace("default").resource(configMap("post", "1")).create();
            await().atMost(WAIT).until(() -> informer.getStore().getByKey("default/post") != null);
        }
    }

    @Test
    void everythingSurvivesARestart() {
        client.configMaps().inNamespace("default").resource(configMap("durable", "yes")).create();
        client.close();

        cluster.restart();
        client = cluster.adminClient();

        assertThat(client.configMaps().inNamespace("default").withName("durable").get().getData())
                .containsEntry("key", "yes");
    }
}
