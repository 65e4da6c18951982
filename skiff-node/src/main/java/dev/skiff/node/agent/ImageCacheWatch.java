package dev.skiff.node.agent;

import dev.skiff.node.imagecache.ImageCacheApi;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's API side of image caches: an informer on every ImageCache, started on the first pod that asks for
 * a cache, and the pod annotation write. The definition is installed by the nodeless cluster (possibly after its
 * agents started) and a bare agent runs without it, so the informer starts only once the resource is served; until
 * then pods match no cache. Thread-safe.
 */
final class ImageCacheWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImageCacheWatch.class);
    /** How long a pod's start waits for the first list of caches (the informer's initial sync). */
    private static final long SYNC_WAIT_SECONDS = 10;

    private final KubernetesClient client;
    private SharedIndexInformer<GenericKubernetesResource> informer;
    private boolean closed;

    ImageCacheWatch(KubernetesClient client) {
        this.client = client;
    }

    /** The ImageCaches known now; blocks on the API the first time (or while the resource is not served). */
    Collection<GenericKubernetesResource> caches() {
        SharedIndexInformer<GenericKubernetesResource> started = ensureStarted();
        if (started == null) {
            return List.of();
        }
        if (!started.hasSynced()) {
            try {
                started.start().toCompletableFuture().get(SYNC_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
                LOG.warn("image caches not listed yet: {}", e.getMessage());
                return List.of();
            }
        }
        return started.getStore().list();
    }

    private synchronized SharedIndexInformer<GenericKubernetesResource> ensureStarted() {
        if (closed) {
            return null;
        }
        if (informer != null) {
            return informer;
        }
        try {
            // One cheap list tells whether the resource is served at all (404 before its definition exists).
            client.genericKubernetesResources(ImageCacheApi.CONTEXT)
                    .list(new ListOptionsBuilder().withLimit(1L).build());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                LOG.warn("cannot list image caches: {}", e.getMessage());
            }
            return null;
        }
        informer = client.genericKubernetesResources(ImageCacheApi.CONTEXT).runnableInformer(0);
        informer.start();
        return informer;
    }

    /** Writes ECI's matched-cache annotation on a pod with a merge patch; a failure is logged, not fatal. */
    void annotate(Pod pod, String imageCacheId) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("metadata",
                            Map.of("annotations", Map.of(ImageCacheHits.MATCHED_ANNOTATION, imageCacheId)))));
        } catch (KubernetesClientException e) {
            LOG.warn("cannot annotate pod {}/{} with image cache {}: {}", pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), imageCacheId, e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (informer != null) {
            informer.close();
        }
    }
}
