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

    /** How long {@link #ensure} waits for a new or changed definition to be served. */
    private static final long SERVED_TIMEOUT_NANOS = 30_000_000_000L;

    /**
     * Creates or updates the definition, then waits until its resource is served; blocks on the API. The wait
     * matters because an API server (kube-apiserver as much as Skiff's) serves a new definition's resource a moment
     * after the create returns (once it is {@code Established}); an informer started before that lists a 404 and
     * stops for good.
     */
    public static void ensure(KubernetesClient client) {
        createOrUpdate(client);
        long deadline = System.nanoTime() + SERVED_TIMEOUT_NANOS;
        while (true) {
            try {
                client.genericKubernetesResources(ImageCacheApi.CONTEXT)
                        .list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build());
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404 || System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
            try {
                // Bootstrap only, once per process start: a short poll beats a watch on the definition here.
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the ImageCache resource to be served", e);
            }
        }
    }

    private static void createOrUpdate(KubernetesClient client) {
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
