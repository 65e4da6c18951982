package dev.skiff.node.imagecache;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Installs the ImageCache CustomResourceDefinition, as ACK Serverless clusters ship with it enabled (seed 004):
 * created when absent, its spec brought up to date when an older Skiff installed a different one. Idempotent.
 */
public final class ImageCacheDefinition {

    private static final String RESOURCE = "imagecaches.yaml";

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

    /** Creates or updates the definition; blocks on the API. */
    public static void ensure(KubernetesClient client) {
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
