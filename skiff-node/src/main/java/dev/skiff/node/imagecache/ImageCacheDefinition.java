package dev.skiff.node.imagecache;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Installs the ImageCache CustomResourceDefinition, as ACK Serverless clusters ship with it enabled (seed 004):
 * created when absent, its spec brought up to date when an older Skiff installed a different one. Idempotent.
 */
public final class ImageCacheDefinition {

    private static final String RESOURCE = "imagecaches.yaml";
    /** Generous: on a loaded machine the API server's CRD controller may take seconds to serve a new resource. */
    private static final Duration ESTABLISH_TIMEOUT = Duration.ofSeconds(60);

    private ImageCacheDefinition() {
    }

    /** The definition this version of Skiff serves. */
    public static CustomResourceDefinition definition() {
        try (InputStream in = ImageCacheDefinition.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates or updates the definition and waits until the API server reports it Established (it does so only once
     * the resource is served), so callers may list and watch ImageCaches at once. Blocks on the API, up to
     * {@link #ESTABLISH_TIMEOUT}.
     *
     * @throws IllegalStateException if it is not Established in time
     */
    public static void ensure(KubernetesClient client) {
        install(client);
        String name = definition().getMetadata().getName();
        try {
            client.apiextensions().v1().customResourceDefinitions().withName(name).waitUntilCondition(
                    ImageCacheDefinition::established, ESTABLISH_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (KubernetesClientException e) {
            throw new IllegalStateException("the " + name + " CustomResourceDefinition was not Established within "
                    + ESTABLISH_TIMEOUT.toSeconds() + " s", e);
        }
    }

    private static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static void install(KubernetesClient client) {
        CustomResourceDefinition wanted = definition();
        var resource = client.apiextensions().v1().customResourceDefinitions()
                .withName(wanted.getMetadata().getName());
        CustomResourceDefinition existing = resource.get();
        if (existing == null) {
            try {
                client.apiextensions().v1().customResourceDefinitions().resource(wanted).create();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                existing = resource.get();
            }
        }
        if (!Objects.equals(existing.getSpec().getVersions(), wanted.getSpec().getVersions())
                || !Objects.equals(existing.getSpec().getNames(), wanted.getSpec().getNames())) {
            existing.getSpec().setVersions(wanted.getSpec().getVersions());
            existing.getSpec().setNames(wanted.getSpec().getNames());
            client.apiextensions().v1().customResourceDefinitions().resource(existing).update();
        }
    }
}
