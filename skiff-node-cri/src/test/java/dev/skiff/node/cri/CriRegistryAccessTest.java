package dev.skiff.node.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.skiff.image.testing.TestRegistry;
import dev.skiff.node.runtime.ContainerSpec;
import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.ImagePullFailedException;
import dev.skiff.node.runtime.ImagePullPolicy;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.InstanceState;
import dev.skiff.node.runtime.InstanceStatus;
import dev.skiff.node.runtime.PortForwardResult;
import dev.skiff.node.runtime.RegistryAccess;
import dev.skiff.node.runtime.RegistryCredential;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * How the cri runtime reaches registries and pods: a pod's own credentials, ECI's plain-http and insecure registry
 * annotations (with real registries on a non-local address, plain and with a self-signed certificate), and
 * port-forward to a server that listens only on 127.0.0.1 inside the pod.
 */
class CriRegistryAccessTest extends OnCriHost {

    @Test
    void registryAnnotationsChooseTheTransportOfEachPodsPulls() throws Exception {
        InetAddress ip = MirrorRegistry.hostAddress().orElse(null);
        Assumptions.assumeTrue(ip != null, "the host has no non-loopback address");
        Path storage = host.registry.registry().dataDir().resolve("storage");
        try (MirrorRegistry plain = MirrorRegistry.start(storage, ip, false);
             MirrorRegistry tls = MirrorRegistry.start(storage, ip, true)) {
            // Two pods disagree about one registry: containerd reads one hosts.toml per registry, so their pulls
            // take turns; the pod without the annotation keeps failing (HTTPS to an HTTP server) while the other
            // pod's pull over HTTP succeeds.
            String plainImage = plain.address + "/" + TestRegistry.BUSYBOX_REPOSITORY + ":latest";
            InstanceSpec unannotated = pod("no-annotation", sleeper(plainImage, ImagePullPolicy.ALWAYS), Map.of());
            InstanceSpec annotated = pod("plain-http", sleeper(plainImage, ImagePullPolicy.ALWAYS),
                    Map.of(RegistryAccess.PLAIN_HTTP_ANNOTATION, "registry.invalid," + plain.address));
            runtime.create(unannotated);
            runtime.create(annotated);
            InstanceStatus failing = awaitStatus(unannotated.id(), s -> s.containers().getFirst().state()
                    instanceof ContainerState.Waiting w && w.reason().equals("ErrImagePull"));
            assertThat(((ContainerState.Waiting) failing.containers().getFirst().state()).message())
                    .startsWith("Failed to pull image \"" + plainImage + "\": rpc error: code = ")
                    .contains("HTTP response to HTTPS client");
            awaitStatus(annotated.id(), s -> s.state() instanceof InstanceState.Running);

            // A self-signed certificate: refused as configured, accepted for a registry named insecure (an image
            // cache's pull with the annotation of its ImageCache; a pod's uses the same path).
            String tlsImage = tls.address + "/" + TestRegistry.BUSYBOX_REPOSITORY + ":latest";
            assertThatThrownBy(() -> runtime.pullImage(tlsImage, List.of()).get(PATIENCE.toSeconds(),
                    TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(ImagePullFailedException.class).hasMessageContaining("x509");
            RegistryAccess insecure = RegistryAccess.fromAnnotations(Map.of(RegistryAccess.INSECURE_ANNOTATION,
                    ip.getHostAddress()));
            assertThat(runtime.pullImage(tlsImage, List.of(), insecure).get(PATIENCE.toSeconds(), TimeUnit.SECONDS)
                    .imageId()).startsWith("sha256:");
            InstanceSpec insecurePod = pod("insecure", sleeper(tlsImage, ImagePullPolicy.ALWAYS),
                    Map.of(RegistryAccess.INSECURE_ANNOTATION, tls.address));
            runtime.create(insecurePod);
            awaitStatus(insecurePod.id(), s -> s.state() instanceof InstanceState.Running);
            // The sandboxes go before the registries they pulled from.
            CriTestHost.discard(runtime, PATIENCE);
            runtime = host.newRuntime();
        }
    }

    @Test
    void aPodsOwnCredentialsAuthenticateItsPulls() throws Exception {
        try (TestRegistry secured = TestRegistry.withAuth("puller", "s3cret")) {
            host.containerd.allowPlainHttp(secured.address());
            String image = secured.busybox();
            InstanceSpec anonymous = pod("anonymous", sleeper(image, ImagePullPolicy.ALWAYS), Map.of());
            // Two credentials for the registry: the keyring tries the wrong one first, then the right one.
            InstanceSpec authorised = pod("authorised", sleeper(image, ImagePullPolicy.ALWAYS), Map.of())
                    .withPullCredentials(List.of(new RegistryCredential(secured.address(), "puller", "wrong"),
                            new RegistryCredential("other.example", "puller", "s3cret"),
                            new RegistryCredential(secured.address(), "puller", "s3cret")));
            runtime.create(anonymous);
            runtime.create(authorised);

            InstanceStatus refused = awaitStatus(anonymous.id(), s -> s.containers().getFirst().state()
                    instanceof ContainerState.Waiting w && w.reason().equals("ErrImagePull"));
            assertThat(((ContainerState.Waiting) refused.containers().getFirst().state()).message())
                    .startsWith("Failed to pull image \"" + image + "\": ").contains("401 Unauthorized");
            awaitStatus(anonymous.id(), s -> s.containers().getFirst().state()
                    instanceof ContainerState.Waiting w && w.reason().equals("ImagePullBackOff"));
            awaitStatus(authorised.id(), s -> s.state() instanceof InstanceState.Running);
            CriTestHost.discard(runtime, PATIENCE);
            runtime = host.newRuntime();
        }
    }

    @Test
    void portForwardReachesAServerOnLoopbackInsideThePod() throws Exception {
        InstanceSpec spec = pod("loopback", ContainerSpec.of("main", host.busybox()).withCommand(List.of("sh", "-c",
                "mkdir -p /www && echo inside-only > /www/index.html && exec httpd -f -p 127.0.0.1:8081 -h /www"),
                List.of()), Map.of());
        runtime.create(spec);
        InstanceStatus running = awaitStatus(spec.id(), s -> s.state() instanceof InstanceState.Running);

        PortForwardResult result = await().atMost(PATIENCE).until(() -> runtime.portForward(spec.id(), 8081),
                r -> r instanceof PortForwardResult.Connected);
        try (var port = ((PortForwardResult.Connected) result).connection()) {
            // No flush and no half-close before the answer: a request written to a socket goes out as it is.
            port.output().write("GET /index.html HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            try (InputStream in = port.input()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).startsWith("HTTP/1.")
                        .contains("inside-only");
            }
            port.closeOutput();
        }
        // The pod's own address does not serve it: only the network namespace's loopback does.
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(running.podIp(), 8081), 5000);
            }
        }).isInstanceOf(IOException.class);
        assertThat(runtime.portForward(spec.id(), 8082)).isInstanceOfSatisfying(PortForwardResult.Failed.class,
                f -> assertThat(f.message()).contains("localhost:8082"));
    }

    private static ContainerSpec sleeper(String image, ImagePullPolicy policy) {
        return new ContainerSpec("main", image, policy, List.of("sleep", "3600"), null, null, null, null, false,
                false);
    }

    private static InstanceSpec pod(String name, ContainerSpec main, Map<String, String> annotations) {
        return InstanceSpec.of(InstanceId.of(UUID.randomUUID().toString()), "default", name, List.of(main))
                .withAnnotations(annotations);
    }

    private InstanceStatus awaitStatus(InstanceId id, Predicate<InstanceStatus> condition) {
        await().atMost(PATIENCE).until(() -> runtime.status(id).map(condition::test).orElse(false));
        return runtime.status(id).orElseThrow();
    }
}
