package dev.skiff.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.node.ipam.Cidr;
import dev.skiff.node.runtime.EnvVar;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.Mount;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Env references and volumes end to end through the agent: Skiff's real API server, the simulated runtime (wrapped
 * to record the spec it is asked to run), files on a temporary node data dir.
 */
class PodVolumesTest {

    private static final String NODE = "vk-volumes";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static AgentHarness harness;
    static KubernetesClient client;
    static RecordingRuntime runtime;
    static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        dataDir = dir.resolve("node");
        NodeConfig config = NodeConfig.of(NODE, "zone-a", "vsw-1", "skiff", Cidr.parse("10.21.0.0/24"),
                        "192.0.2.11")
                .withRetry(Duration.ofMillis(50), Duration.ofSeconds(1))
                .withDataDir(dataDir);
        harness = AgentHarness.start(dir.resolve("api"), config, simulated -> runtime = new RecordingRuntime(simulated));
        client = harness.client();
        if (client.serviceAccounts().inNamespace("default").withName("default").get() == null) {
            client.serviceAccounts().inNamespace("default").resource(new ServiceAccountBuilder().withNewMetadata()
                    .withName("default").endMetadata().build()).create();
        }
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void envAndVolumesReachTheRuntimeAndConfigMapUpdatesReachTheFiles() throws Exception {
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("app-config").endMetadata().addToData("greeting", "hello").addToData("bad key", "x")
                .build()).create();
        client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata()
                .withName("app-secret").endMetadata().addToStringData("password", "s3cret").build()).create();
        Pod pod = client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("web").addToLabels("app", "web").endMetadata()
                .withNewSpec().withNodeName(NODE)
                .addNewContainer().withName("app").withImage("busybox")
                .withCommand("sh", "-c", "echo $(GREETING) $$HOME")
                .addNewEnv().withName("GREETING").withNewValueFrom()
                .withNewConfigMapKeyRef("greeting", "app-config", false).endValueFrom().endEnv()
                .addNewEnv().withName("POD_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP")
                .endFieldRef().endValueFrom().endEnv()
                .addNewEnvFrom().withPrefix("S_").withNewSecretRef("app-secret", false).endEnvFrom()
                .addNewEnvFrom().withNewConfigMapRef("app-config", false).endEnvFrom()
                .addNewVolumeMount().withName("cfg").withMountPath("/etc/app").endVolumeMount()
                .addNewVolumeMount().withName("sec").withMountPath("/etc/secret").endVolumeMount()
                .addNewVolumeMount().withName("scratch").withMountPath("/scratch").endVolumeMount()
                .addNewVolumeMount().withName("scratch").withMountPath("/cache").withSubPath("cache")
                .withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("api").withMountPath("/var/run/secrets/tokens").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("cfg").withNewConfigMap().withName("app-config")
                .addNewItem().withKey("greeting").withPath("conf/greeting.txt").withMode(0600).endItem()
                .endConfigMap().endVolume()
                .addNewVolume().withName("sec").withNewSecret().withSecretName("app-secret").withDefaultMode(0400)
                .endSecret().endVolume()
                .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("api").withNewProjected()
                .addNewSource().withNewServiceAccountToken().withAudience("vault").withExpirationSeconds(3600L)
                .withPath("token").endServiceAccountToken().endSource()
                .addNewSource().withNewDownwardAPI().addNewItem().withPath("labels").withNewFieldRef()
                .withFieldPath("metadata.labels").endFieldRef().endItem().endDownwardAPI().endSource()
                .endProjected().endVolume()
                .endSpec().build()).create();
        String uid = pod.getMetadata().getUid();

        Pod running = await().atMost(TIMEOUT).until(() -> client.pods().inNamespace("default").withName("web").get(),
                p -> "Running".equals(p.getStatus().getPhase()));
        InstanceSpec spec = runtime.specs.get(InstanceId.of(uid));
        var app = spec.containers().getFirst();
        Map<String, String> env = app.env().stream().collect(Collectors.toMap(EnvVar::name, EnvVar::value));
        assertThat(env).containsEntry("GREETING", "hello").containsEntry("greeting", "hello")
                .containsEntry("S_password", "s3cret").containsEntry("POD_IP", running.getStatus().getPodIP())
                .doesNotContainKey("bad key");
        assertThat(app.command()).containsExactly("sh", "-c", "echo hello $HOME");
        Path volumes = dataDir.resolve("pods").resolve(uid).resolve("volumes");
        assertThat(app.mounts()).containsExactly(
                new Mount("/etc/app", volumes.resolve("cfg"), true),
                new Mount("/etc/secret", volumes.resolve("sec"), true),
                new Mount("/scratch", volumes.resolve("scratch"), false),
                new Mount("/cache", volumes.resolve("scratch/cache"), true),
                new Mount("/var/run/secrets/tokens", volumes.resolve("api"), true));
        assertThat(Files.isDirectory(volumes.resolve("scratch/cache"))).isTrue();

        Path greeting = volumes.resolve("cfg/conf/greeting.txt");
        assertThat(Files.readString(greeting)).isEqualTo("hello");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(greeting.toRealPath())))
                .isEqualTo("rw-------");
        assertThat(Files.readString(volumes.resolve("sec/password"))).isEqualTo("s3cret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                volumes.resolve("sec/password").toRealPath()))).isEqualTo("r--------");
        assertThat(Files.readString(volumes.resolve("api/token")).split("\\.")).as("a signed JWT").hasSize(3);
        assertThat(Files.readString(volumes.resolve("api/labels"))).isEqualTo("app=\"web\"");
        assertThat(events("web")).extracting(Event::getReason).contains("InvalidEnvironmentVariableNames");

        client.configMaps().inNamespace("default").withName("app-config")
                .edit(cm -> new ConfigMapBuilder(cm).addToData("greeting", "bonjour").build());
        await().atMost(TIMEOUT).until(() -> Files.readString(greeting), "bonjour"::equals);

        client.pods().inNamespace("default").withName("web").delete();
        await().atMost(TIMEOUT).until(() -> !Files.exists(dataDir.resolve("pods").resolve(uid)));
    }

    @Test
    void aMissingConfigMapHoldsThePodInCreateContainerConfigErrorUntilItExists() {
        client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("waits").endMetadata()
                .withNewSpec().withNodeName(NODE)
                .addNewContainer().withName("app").withImage("busybox")
                .addNewEnv().withName("LATE").withNewValueFrom().withNewConfigMapKeyRef("k", "late", false)
                .endValueFrom().endEnv().endContainer()
                .endSpec().build()).create();

        Pod blocked = await().atMost(TIMEOUT).until(() -> client.pods().inNamespace("default").withName("waits").get(),
                p -> p.getStatus().getContainerStatuses() != null && !p.getStatus().getContainerStatuses().isEmpty()
                        && p.getStatus().getContainerStatuses().getFirst().getState().getWaiting() != null
                        && "CreateContainerConfigError".equals(p.getStatus().getContainerStatuses().getFirst()
                        .getState().getWaiting().getReason()));
        ContainerStatus c = blocked.getStatus().getContainerStatuses().getFirst();
        assertThat(c.getState().getWaiting().getMessage()).isEqualTo("configmap \"late\" not found");
        assertThat(blocked.getStatus().getPhase()).isEqualTo("Pending");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events("waits"))
                .anySatisfy(e -> {
                    assertThat(e.getReason()).isEqualTo("Failed");
                    assertThat(e.getMessage()).isEqualTo("Error: configmap \"late\" not found");
                    assertThat(e.getType()).isEqualTo("Warning");
                }));

        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("late").endMetadata().addToData("k", "now").build()).create();

        Pod running = await().atMost(TIMEOUT).until(() -> client.pods().inNamespace("default").withName("waits")
                .get(), p -> "Running".equals(p.getStatus().getPhase()));
        assertThat(runtime.specs.get(InstanceId.of(running.getMetadata().getUid())).containers().getFirst().env())
                .contains(new EnvVar("LATE", "now"));
    }

    private static List<Event> events(String pod) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> pod.equals(e.getInvolvedObject().getName())).toList();
    }
}
