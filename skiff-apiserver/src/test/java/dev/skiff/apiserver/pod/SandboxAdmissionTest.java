package dev.skiff.apiserver.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.skiff.apiserver.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pods an elastic container instance never runs, and upstream's volume validation, through the real server. */
class SandboxAdmissionTest {

    @TempDir
    static Path dir;

    static TestApiServer server;
    static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestApiServer.start(dir);
        client = server.newClient();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static Pod pod(String name, UnaryOperator<PodBuilder> edit) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("busybox").endContainer().endSpec();
        return edit.apply(b).build();
    }

    private static KubernetesClientException refused(Pod pod) {
        return catchThrowableOfType(KubernetesClientException.class,
                () -> client.pods().inNamespace("default").resource(pod).create());
    }

    @Test
    void hostAccessIsRefusedWith422NamingEachField() {
        KubernetesClientException e = refused(pod("host", b -> b.editSpec().withHostNetwork(true).withHostPID(true)
                .addNewVolume().withName("root").withNewHostPath().withPath("/").endHostPath().endVolume()
                .editFirstContainer().withNewSecurityContext().withPrivileged(true).endSecurityContext()
                .addNewPort().withContainerPort(80).withHostPort(80).endPort().endContainer().endSpec()));

        assertThat(e.getCode()).isEqualTo(422);
        assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
        assertThat(e.getStatus().getDetails().getCauses()).extracting(StatusCause::getField).containsExactlyInAnyOrder(
                "spec.hostNetwork", "spec.hostPID", "spec.volumes[0].hostPath",
                "spec.containers[0].securityContext.privileged", "spec.containers[0].ports[0].hostPort");
        assertThat(e.getStatus().getDetails().getCauses()).allSatisfy(c -> {
            assertThat(c.getReason()).isEqualTo("FieldValueForbidden");
            assertThat(c.getMessage()).startsWith("Forbidden: not allowed: pods run in elastic container instances");
        });
        assertThat(e.getStatus().getMessage()).startsWith("Pod \"host\" is invalid: [");
    }

    @Test
    void volumesAndMountsAreValidatedAsUpstreamDoes() {
        KubernetesClientException e = refused(pod("mounts", b -> b.editSpec()
                .addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("nothing").endVolume()
                .editFirstContainer()
                .addNewVolumeMount().withName("nope").withMountPath("/a").endVolumeMount()
                .addNewVolumeMount().withName("data").withMountPath("/a").withSubPath("../etc").endVolumeMount()
                .endContainer().endSpec()));

        assertThat(e.getCode()).isEqualTo(422);
        assertThat(e.getStatus().getDetails().getCauses()).extracting(c -> c.getField() + ": " + c.getMessage())
                .containsExactlyInAnyOrder(
                        "spec.volumes[1].name: Duplicate value: \"data\"",
                        "spec.volumes[2]: Required value: must specify a volume type",
                        "spec.containers[0].volumeMounts[0].name: Not found: \"nope\"",
                        "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/a\": must be unique",
                        "spec.containers[0].volumeMounts[1].subPath: Invalid value: \"../etc\": must not contain "
                                + "'..'");
    }

    @Test
    void aSandboxablePodWithVolumesIsAdmitted() {
        Pod created = client.pods().inNamespace("default").resource(pod("fine", b -> b.editSpec()
                .addNewVolume().withName("cfg").withNewConfigMap().withName("app").endConfigMap().endVolume()
                .editFirstContainer().addNewVolumeMount().withName("cfg").withMountPath("/etc/app").endVolumeMount()
                .withNewSecurityContext().withRunAsUser(1000L).endSecurityContext()
                .addNewPort().withContainerPort(8080).endPort().endContainer().endSpec())).create();
        assertThat(created.getMetadata().getUid()).isNotEmpty();
    }
}
