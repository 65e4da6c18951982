package dev.skiff.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.node.ipam.Cidr;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.RegistryCredential;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod's image pull Secrets reach the runtime as credentials through the agent (real API server, simulated
 * runtime): the pod's own {@code imagePullSecrets}, else its ServiceAccount's; a missing Secret gives the kubelet's
 * {@code FailedToRetrieveImagePullSecret} warning and the pod still starts with what was found.
 */
class PodPullSecretsTest {

    private static final String NODE = "vk-pulls";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void podAndServiceAccountPullSecretsBecomeTheInstancesCredentials() throws Exception {
        NodeConfig config = NodeConfig.of(NODE, "zone-a", "vsw-1", "skiff", Cidr.parse("10.22.0.0/24"), "192.0.2.12")
                .withRetry(Duration.ofMillis(50), Duration.ofSeconds(1)).withDataDir(dir.resolve("node"));
        RecordingRuntime[] recording = new RecordingRuntime[1];
        try (AgentHarness harness = AgentHarness.start(dir.resolve("api"), config,
                simulated -> recording[0] = new RecordingRuntime(simulated))) {
            KubernetesClient client = harness.client();
            client.secrets().inNamespace("default").resource(dockerConfig("regcred", "registry.example:5000",
                    "alice", "pw1")).create();
            client.secrets().inNamespace("default").resource(dockerConfig("sa-cred", "https://index.docker.io/v1/",
                    "bob", "pw2")).create();
            client.serviceAccounts().inNamespace("default").resource(new ServiceAccountBuilder().withNewMetadata()
                    .withName("puller").endMetadata().addNewImagePullSecret("sa-cred").build()).create();

            Pod own = client.pods().inNamespace("default").resource(pod("own", null)
                    .editSpec().addNewImagePullSecret("regcred").addNewImagePullSecret("absent").endSpec().build())
                    .create();
            Pod viaAccount = client.pods().inNamespace("default").resource(pod("via-account", "puller").build())
                    .create();

            await().atMost(TIMEOUT).until(() -> recording[0].specs.containsKey(id(own))
                    && recording[0].specs.containsKey(id(viaAccount)));
            assertThat(recording[0].specs.get(id(own)).pullCredentials())
                    .containsExactly(new RegistryCredential("registry.example:5000", "alice", "pw1"));
            assertThat(recording[0].specs.get(id(viaAccount)).pullCredentials())
                    .containsExactly(new RegistryCredential("docker.io", "bob", "pw2"));
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(client.v1().events().inNamespace("default")
                    .list().getItems()).filteredOn(e -> "own".equals(e.getInvolvedObject().getName()))
                    .extracting(Event::getReason, Event::getType, Event::getMessage)
                    .contains(org.assertj.core.groups.Tuple.tuple(PodPullSecrets.MISSING_REASON, "Warning",
                            "Unable to retrieve some image pull secrets (absent); attempting to pull the image may"
                                    + " not succeed.")));
        }
    }

    private static InstanceId id(Pod pod) {
        return InstanceId.of(pod.getMetadata().getUid());
    }

    private static PodBuilder pod(String name, String serviceAccount) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName(NODE).withServiceAccountName(serviceAccount)
                .addNewContainer().withName("app").withImage("registry.example:5000/app:v1").endContainer()
                .endSpec();
    }

    private static io.fabric8.kubernetes.api.model.Secret dockerConfig(String name, String registry, String user,
                                                                       String password) {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        String json = "{\"auths\":{\"" + registry + "\":{\"auth\":\"" + auth + "\"}}}";
        return new SecretBuilder().withNewMetadata().withName(name).endMetadata()
                .withType("kubernetes.io/dockerconfigjson").addToStringData(".dockerconfigjson", json).build();
    }
}
