package dev.skiff.node.imagecache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.skiff.apiserver.testing.TestApiServer;
import dev.skiff.node.runtime.ImagePullFailedException;
import dev.skiff.node.runtime.InstanceRuntime;
import dev.skiff.node.runtime.PulledImage;
import dev.skiff.node.runtime.RegistryCredential;
import dev.skiff.node.runtime.testing.DelegatingRuntime;
import dev.skiff.node.simulated.SimulatedRuntime;
import dev.skiff.node.simulated.SimulationProfile;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ImageCache API and its builder against the in-process API server: the CRD validates and defaults, a cache is
 * built into the node runtime with its pull secret's credentials and reports ECI's status, a failing pull fails it.
 */
class ImageCacheBuilderTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static TestApiServer server;
    static KubernetesClient client;
    static ScheduledExecutorService scheduler;
    static ExecutorService notifications;
    static SimulatedRuntime simulated;
    static RecordingRuntime runtime;
    static ImageCacheBuilder builder;

    @BeforeAll
    static void start() throws Exception {
        server = TestApiServer.start(dir);
        client = server.newClient();
        scheduler = Executors.newScheduledThreadPool(1);
        notifications = Executors.newVirtualThreadPerTaskExecutor();
        simulated = new SimulatedRuntime(SimulationProfile.instant(), Clock.systemUTC(), scheduler, notifications);
        runtime = new RecordingRuntime(simulated);
        ImageCacheDefinition.ensure(client);
        ImageCacheDefinition.ensure(client);
        builder = ImageCacheBuilder.start(client, () -> List.of(runtime), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        try {
            if (builder != null) {
                builder.close();
            }
            if (simulated != null) {
                simulated.close();
            }
            if (client != null) {
                client.close();
            }
        } finally {
            scheduler.shutdownNow();
            notifications.shutdownNow();
            if (server != null) {
                server.close();
            }
        }
    }

    private static GenericKubernetesResource create(String yaml) {
        GenericKubernetesResource cache = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
        return client.genericKubernetesResources(ImageCacheApi.CONTEXT).resource(cache).create();
    }

    private static Map<String, Object> statusOf(String name) {
        return StatusMaps.status(client.genericKubernetesResources(ImageCacheApi.CONTEXT).withName(name).get());
    }

    @Test
    void aCacheIsBuiltWithItsPullSecretAndBecomesReady() {
        String auth = Base64.getEncoder().encodeToString("""
                {"auths":{"registry.example:5000":{"username":"alice","password":"pw"}}}"""
                .getBytes(StandardCharsets.UTF_8));
        client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("regcred")
                .endMetadata().withType("kubernetes.io/dockerconfigjson").addToData(".dockerconfigjson", auth)
                .build()).create();
        GenericKubernetesResource created = create("""
                apiVersion: eci.alibabacloud.com/v1
                kind: ImageCache
                metadata: {name: web}
                spec:
                  images: [busybox, registry.example:5000/team/web:v1]
                  imagePullSecrets: ["default:regcred"]
                  retentionDays: 7
                """);
        // The schema's default applies.
        assertThat(StatusMaps.map(created.getAdditionalProperties().get("spec")).get("imageCacheSize"))
                .isEqualTo(20);

        await().atMost(TIMEOUT).until(() -> "Ready".equals(statusOf("web").get("phase")));
        Map<String, Object> status = statusOf("web");
        assertThat((String) status.get("imageCacheId")).matches("imc-[0-9a-z]{20}");
        assertThat(status).containsEntry("progress", "100%").containsKeys("startTime", "expireDateTime");
        assertThat(runtime.pulls).contains("busybox", "registry.example:5000/team/web:v1");
        assertThat(runtime.credentials).contains(new RegistryCredential("registry.example:5000", "alice", "pw"));
    }

    @Test
    void aFailedPullFailsTheCacheWithTheReason() {
        create("""
                apiVersion: eci.alibabacloud.com/v1
                kind: ImageCache
                metadata: {name: broken}
                spec:
                  images: [busybox, registry.example:5000/missing:v1]
                """);
        await().atMost(TIMEOUT).until(() -> "Failed".equals(statusOf("broken").get("phase")));
        Map<String, Object> status = statusOf("broken");
        assertThat(status).containsEntry("progress", "50%").containsKey("expireDateTime");
        assertThat(StatusMaps.list(status.get("events")).toString())
                .contains("PullImageFailed", "registry.example:5000/missing:v1", "manifest unknown");
    }

    @Test
    void invalidSpecsAreRefusedByTheSchema() {
        assertThatThrownBy(() -> create("""
                apiVersion: eci.alibabacloud.com/v1
                kind: ImageCache
                metadata: {name: tiny}
                spec: {images: [busybox], imageCacheSize: 5}
                """)).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("spec.imageCacheSize");
                });
        assertThatThrownBy(() -> create("""
                apiVersion: eci.alibabacloud.com/v1
                kind: ImageCache
                metadata: {name: empty}
                spec: {images: []}
                """)).isInstanceOfSatisfying(KubernetesClientException.class,
                e -> assertThat(e.getMessage()).contains("spec.images"));
    }

    /** Records pulls and refuses images named "missing", as a registry answers for an unknown manifest. */
    static final class RecordingRuntime extends DelegatingRuntime {
        final List<String> pulls = new CopyOnWriteArrayList<>();
        final List<RegistryCredential> credentials = new CopyOnWriteArrayList<>();

        RecordingRuntime(InstanceRuntime delegate) {
            super(delegate);
        }

        @Override
        public CompletableFuture<PulledImage> pullImage(String image, List<RegistryCredential> creds) {
            pulls.add(image);
            credentials.addAll(creds);
            if (image.contains("missing")) {
                return CompletableFuture.failedFuture(new ImagePullFailedException(
                        "manifest unknown: " + image, null));
            }
            return super.pullImage(image, creds);
        }
    }
}
