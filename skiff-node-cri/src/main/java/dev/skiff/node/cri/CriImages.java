package dev.skiff.node.cri;

import dev.skiff.node.cri.client.CriClient;
import dev.skiff.node.cri.client.CriException;
import dev.skiff.node.cri.containerd.RegistryHosts;
import dev.skiff.node.cri.proto.AuthConfig;
import dev.skiff.node.runtime.ImagePullFailedException;
import dev.skiff.node.runtime.ImageReference;
import dev.skiff.node.runtime.PulledImage;
import dev.skiff.node.runtime.RegistryAccess;
import dev.skiff.node.runtime.RegistryCredential;
import dev.skiff.node.runtime.RegistryKeyring;
import dev.skiff.node.runtime.RuntimeUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Image pulls of the cri runtime, for pods ({@link ImagePulls}) and image caches ({@code pullImage}): the CRI's
 * PullImage with the credentials the kubelet's keyring picks for the image's registry ({@link RegistryKeyring}: each
 * matching one in turn until one works, anonymously only when none matches), over the transport the ECI registry
 * annotations ask for ({@link RegistryHosts} writes containerd's {@code hosts.toml} for the pull).
 */
final class CriImages {

    private static final Logger LOG = LoggerFactory.getLogger(CriImages.class);

    private final CriClient client;
    private final RegistryHosts hosts;

    /** @param hosts containerd's registry host files, or null when this runtime cannot change them */
    CriImages(CriClient client, RegistryHosts hosts) {
        this.client = client;
        this.hosts = hosts;
    }

    CompletableFuture<PulledImage> pull(String image, List<RegistryCredential> credentials, RegistryAccess access) {
        CompletableFuture<PulledImage> result = new CompletableFuture<>();
        Thread.ofVirtual().name("cri-pull").start(() -> {
            try {
                String ref = pullNow(image, credentials, access);
                long size = client.image(image).map(i -> i.getSize()).orElse(0L);
                result.complete(new PulledImage(image, ref, size));
            } catch (CriException e) {
                result.completeExceptionally(e.unreachable()
                        ? new RuntimeUnavailableException("containerd is unreachable: " + e.getMessage(), e)
                        : new ImagePullFailedException(e.grpcMessage(), e));
            } catch (IllegalArgumentException e) {
                result.completeExceptionally(new ImagePullFailedException(e.getMessage(), e));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /**
     * Pulls {@code image} now (blocking) and answers its image reference. Throws the last {@link CriException} when
     * every credential failed, {@link IllegalArgumentException} for a registry name that cannot be configured, and
     * {@link CriInstance.Interrupted} when interrupted while waiting for another pod's pull of the same registry.
     */
    String pullNow(String image, List<RegistryCredential> credentials, RegistryAccess access) {
        String registry = ImageReference.registry(image);
        RegistryAccess.Mode mode = access.modeFor(registry);
        if (hosts == null) {
            if (mode != RegistryAccess.Mode.DEFAULT) {
                LOG.warn("pulling {} as configured: this runtime cannot apply {} for {}", image, mode, registry);
            }
            return pullWithKeyring(image, credentials);
        }
        try (RegistryHosts.Lease lease = hosts.use(registry, mode)) {
            return pullWithKeyring(image, credentials);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CriInstance.Interrupted();
        }
    }

    private String pullWithKeyring(String image, List<RegistryCredential> credentials) {
        List<AuthConfig> auths = auths(image, credentials);
        if (auths.isEmpty()) {
            return client.pullImage(image, null);
        }
        CriException last = null;
        for (AuthConfig auth : auths) {
            try {
                return client.pullImage(image, auth);
            } catch (CriException e) {
                if (e.unreachable()) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    /** The AuthConfigs a pull of {@code image} tries, in order; empty for an anonymous pull. */
    static List<AuthConfig> auths(String image, List<RegistryCredential> credentials) {
        List<AuthConfig> result = new ArrayList<>();
        for (RegistryCredential c : RegistryKeyring.lookup(image, credentials)) {
            // No server_address: the credential was matched to the reference's host here, and containerd 1.6
            // parses that field as a URL (a bare host:port does not parse).
            result.add(AuthConfig.newBuilder().setUsername(c.username()).setPassword(c.password()).build());
        }
        return result;
    }
}
