package dev.skiff.node.cri;

import dev.skiff.node.cri.client.CriClient;
import dev.skiff.node.cri.client.CriException;
import dev.skiff.node.cri.proto.AuthConfig;
import dev.skiff.node.runtime.ImagePullFailedException;
import dev.skiff.node.runtime.PulledImage;
import dev.skiff.node.runtime.ImageReference;
import dev.skiff.node.runtime.RegistryCredential;
import dev.skiff.node.runtime.RuntimeUnavailableException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code pullImage} of the cri runtime: the CRI's PullImage with the {@link AuthConfig} of the credential whose
 * registry is the reference's, as the kubelet picks one from a pod's {@code imagePullSecrets} by registry host.
 */
final class CriImages {

    private final CriClient client;

    CriImages(CriClient client) {
        this.client = client;
    }

    CompletableFuture<PulledImage> pull(String image, List<RegistryCredential> credentials) {
        CompletableFuture<PulledImage> result = new CompletableFuture<>();
        Thread.ofVirtual().name("cri-pull").start(() -> {
            try {
                AuthConfig auth = authFor(image, credentials).orElse(null);
                String ref = client.pullImage(image, auth);
                long size = client.image(image).map(i -> i.getSize()).orElse(0L);
                result.complete(new PulledImage(image, ref, size));
            } catch (CriException e) {
                result.completeExceptionally(e.unreachable()
                        ? new RuntimeUnavailableException("containerd is unreachable: " + e.getMessage(), e)
                        : new ImagePullFailedException(e.getMessage(), e));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    static Optional<AuthConfig> authFor(String image, List<RegistryCredential> credentials) {
        String registry = registryOf(image);
        return credentials.stream().filter(c -> ImageReference.registryHost(c.registry()).equals(registry)).findFirst()
                // No server_address: the credential was matched to the reference's host here, and containerd 1.6
                // parses that field as a URL (a bare host:port does not parse).
                .map(c -> AuthConfig.newBuilder().setUsername(c.username()).setPassword(c.password()).build());
    }

    /** The registry host of an image reference (Docker Hub when it names none): what a credential must name. */
    static String registryOf(String image) {
        return ImageReference.registry(image);
    }
}
