package dev.skiff.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.image.testing.TestRegistry;
import java.time.Duration;

/**
 * Pulls from a registry that requires a login, as a user sets it up with kubectl: a {@code docker-registry} Secret
 * named by the pod's {@code imagePullSecrets}, or by its ServiceAccount's; a pod with a wrong or missing Secret gets
 * the kubelet's {@code ErrImagePull}/{@code ImagePullBackOff} with the registry's 401 and a
 * {@code FailedToRetrieveImagePullSecret} warning. Part of {@link CriPodFlowsEndToEndTest}'s cluster.
 */
final class PrivateRegistryFlow {

    private final Kubectl kubectl;
    private final Duration patience;

    PrivateRegistryFlow(Kubectl kubectl, Duration patience) {
        this.kubectl = kubectl;
        this.patience = patience;
    }

    void podsPullWithTheirSecrets(TestRegistry secured) throws Exception {
        String server = secured.address();
        kubectl.run("create", "secret", "docker-registry", "regcred", "--docker-server=" + server,
                "--docker-username=puller", "--docker-password=s3cret").ok();
        kubectl.run("create", "secret", "docker-registry", "wrongcred", "--docker-server=" + server,
                "--docker-username=puller", "--docker-password=wrong").ok();
        kubectl.run("apply", "-f", kubectl.manifest("private.yaml", """
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: puller}
                imagePullSecrets: [{name: regcred}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: private-own}
                spec:
                  terminationGracePeriodSeconds: 1
                  imagePullSecrets: [{name: regcred}]
                  containers: [{name: main, image: "%1$s", command: [sleep, "3600"]}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: private-sa}
                spec:
                  terminationGracePeriodSeconds: 1
                  serviceAccountName: puller
                  containers: [{name: main, image: "%1$s", imagePullPolicy: Always, command: [sleep, "3600"]}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: private-wrong}
                spec:
                  terminationGracePeriodSeconds: 1
                  imagePullSecrets: [{name: wrongcred}, {name: absent}]
                  containers: [{name: main, image: "%1$s", imagePullPolicy: Always, command: [sleep, "3600"]}]
                """.formatted(secured.busybox())).toString()).ok();

        await().atMost(patience).untilAsserted(() -> assertThat(kubectl.run("get", "pods", "private-own",
                "private-sa", "-o", "jsonpath={.items[*].status.phase}").ok().out()).isEqualTo("Running Running"));
        await().atMost(patience).untilAsserted(() -> {
            assertThat(kubectl.run("get", "pod", "private-wrong").ok().out())
                    .containsPattern("private-wrong\\s+0/1\\s+(ErrImagePull|ImagePullBackOff)");
            assertThat(kubectl.run("get", "events", "--field-selector", "involvedObject.name=private-wrong", "-o",
                    "jsonpath={range .items[*]}{.type}/{.reason}: {.message}{\"\\n\"}{end}").ok().out())
                    .contains("Warning/FailedToRetrieveImagePullSecret: Unable to retrieve some image pull secrets"
                            + " (absent); attempting to pull the image may not succeed.")
                    .containsPattern("Warning/Failed: Failed to pull image \"" + java.util.regex.Pattern.quote(
                            secured.busybox()) + "\": rpc error: code = .*401 Unauthorized");
        });
        kubectl.run("delete", "pod", "private-own", "private-sa", "private-wrong", "--wait=true").ok();
    }
}
