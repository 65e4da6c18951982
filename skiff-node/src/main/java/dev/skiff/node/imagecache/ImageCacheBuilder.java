package dev.skiff.node.imagecache;

import dev.skiff.node.agent.KeyedQueue;
import dev.skiff.node.runtime.InstanceRuntime;
import dev.skiff.node.runtime.PulledImage;
import dev.skiff.node.runtime.RegistryAccess;
import dev.skiff.node.runtime.RegistryCredential;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds image caches: for every {@code ImageCache} whose status does not yet describe its current spec, pulls each
 * image into the node runtimes (with the credentials of its {@code imagePullSecrets}) and reports ECI's status:
 * phase {@code Creating} with a progress percentage, then {@code Ready} (with {@code expireDateTime} when
 * {@code retentionDays} is set) or {@code Failed} with the pull error in {@code status.events}. A changed spec (a new
 * {@code metadata.generation}) builds again under the same {@code imc-} id.
 *
 * <p>Level-triggered: it compares {@code status.observedGeneration} with the generation, so a restarted builder
 * finishes what a stopped one began. One build per cache at a time (a {@link KeyedQueue}); builds of different caches
 * run in parallel on virtual threads, blocking on the pulls. Thread-safe.
 */
public final class ImageCacheBuilder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImageCacheBuilder.class);
    /** A pull that takes longer than this fails the cache (ECI gives up on a cache after a like bound). */
    private static final Duration PULL_TIMEOUT = Duration.ofMinutes(10);
    private static final int MAX_EVENTS = 10;

    private final KubernetesClient client;
    private final Supplier<Collection<InstanceRuntime>> runtimes;
    private final Clock clock;
    private final SharedIndexInformer<GenericKubernetesResource> informer;
    private final KeyedQueue queue;
    /**
     * The {@code uid/generation} of every cache this builder has built (or is building). The status writes of a build
     * come back through the informer as updates, and the informer may still hold the {@code Creating} status when the
     * build has already written {@code Ready}: without this record such an update would start the same build again
     * and write {@code Creating 0%} over the finished cache. A restarted builder starts with none, so a build cut short
     * by a restart is redone.
     */
    private final Set<String> built = ConcurrentHashMap.newKeySet();

    private ImageCacheBuilder(KubernetesClient client, Supplier<Collection<InstanceRuntime>> runtimes, Clock clock) {
        this.client = client;
        this.runtimes = runtimes;
        this.clock = clock;
        this.informer = client.genericKubernetesResources(ImageCacheApi.CONTEXT).runnableInformer(0);
        this.queue = new KeyedQueue("image-cache-builder", 4, this::reconcile);
    }

    /**
     * Starts building caches; blocks until the informer has synced. The CRD must exist
     * ({@link ImageCacheDefinition#ensure}).
     *
     * @param runtimes the distinct runtimes of this node process, asked each time a cache is built
     */
    public static ImageCacheBuilder start(KubernetesClient client, Supplier<Collection<InstanceRuntime>> runtimes,
                                          Clock clock) {
        ImageCacheBuilder builder = new ImageCacheBuilder(Objects.requireNonNull(client, "client"),
                Objects.requireNonNull(runtimes, "runtimes"), Objects.requireNonNull(clock, "clock"));
        builder.informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource cache) {
                builder.queue.add(cache.getMetadata().getName());
            }

            @Override
            public void onUpdate(GenericKubernetesResource oldCache, GenericKubernetesResource cache) {
                builder.queue.add(cache.getMetadata().getName());
            }

            @Override
            public void onDelete(GenericKubernetesResource cache, boolean finalStateUnknown) {
                // Images stay on the node: running pods may use them, and the runtime's image GC owns their removal.
            }
        });
        try {
            builder.informer.start().toCompletableFuture().join();
        } catch (RuntimeException e) {
            builder.close();
            throw e;
        }
        return builder;
    }

    private void reconcile(String name) {
        GenericKubernetesResource cache = informer.getStore().getByKey(name);
        if (cache == null || cache.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        Map<String, Object> status = StatusMaps.status(cache);
        long generation = cache.getMetadata().getGeneration() == null ? 1 : cache.getMetadata().getGeneration();
        String phase = (String) status.get("phase");
        if (StatusMaps.number(status.get("observedGeneration")) == generation
                && (ImageCacheApi.PHASE_READY.equals(phase) || ImageCacheApi.PHASE_FAILED.equals(phase))) {
            return;
        }
        String attempt = cache.getMetadata().getUid() + "/" + generation;
        if (!built.add(attempt)) {
            return;
        }
        try {
            build(cache, generation);
        } catch (RuntimeException e) {
            // A status write that failed for good: the next event or resync builds again.
            built.remove(attempt);
            throw e;
        }
    }

    private void build(GenericKubernetesResource cache, long generation) {
        String name = cache.getMetadata().getName();
        Map<String, Object> spec = StatusMaps.map(cache.getAdditionalProperties().get("spec"));
        List<String> images = StatusMaps.strings(spec.get("images"));
        String id = ImageCacheIds.forUid(cache.getMetadata().getUid());
        Instant start = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        writeStatus(name, s -> {
            s.put("phase", ImageCacheApi.PHASE_CREATING);
            s.put("imageCacheId", id);
            s.put("progress", "0%");
            s.put("observedGeneration", generation);
            s.putIfAbsent("startTime", start.toString());
            s.put("lastUpdateTime", start.toString());
            s.remove("expireDateTime");
        });
        List<RegistryCredential> credentials = credentials(StatusMaps.strings(spec.get("imagePullSecrets")));
        // ECI's registry annotations on the cache itself, as on a pod: plain HTTP or unverified TLS per registry.
        RegistryAccess access = RegistryAccess.fromAnnotations(cache.getMetadata().getAnnotations());
        for (int i = 0; i < images.size(); i++) {
            String image = images.get(i);
            try {
                for (InstanceRuntime runtime : runtimes.get()) {
                    PulledImage pulled = runtime.pullImage(image, credentials, access)
                            .get(PULL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    LOG.debug("image cache {}: pulled {} as {}", name, image, pulled.imageId());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                String why = failure(e);
                LOG.info("image cache {} failed: {}: {}", name, image, why);
                Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
                writeStatus(name, s -> {
                    s.put("phase", ImageCacheApi.PHASE_FAILED);
                    s.put("lastUpdateTime", now.toString());
                    // ECI lets a failed cache expire a day after the failure.
                    s.put("expireDateTime", now.plus(Duration.ofDays(1)).toString());
                    appendEvent(s, "Warning", "PullImageFailed", "failed to pull image " + image + ": " + why, now);
                });
                return;
            }
            int percent = (i + 1) * 100 / images.size();
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            writeStatus(name, s -> {
                s.put("progress", percent + "%");
                s.put("lastUpdateTime", now.toString());
            });
        }
        Instant done = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        long retentionDays = StatusMaps.number(spec.get("retentionDays"));
        writeStatus(name, s -> {
            s.put("phase", ImageCacheApi.PHASE_READY);
            s.put("progress", "100%");
            s.put("lastUpdateTime", done.toString());
            if (retentionDays > 0) {
                s.put("expireDateTime", done.plus(Duration.ofDays(retentionDays)).toString());
            }
            appendEvent(s, "Normal", "Created", "image cache " + id + " holds " + images.size() + " image(s)", done);
        });
    }

    /** Credentials from {@code namespace:name} Secrets; a missing Secret is skipped (the pull may be anonymous). */
    private List<RegistryCredential> credentials(List<String> secretRefs) {
        List<RegistryCredential> result = new ArrayList<>();
        for (String ref : secretRefs) {
            int colon = ref.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            Secret secret = client.secrets().inNamespace(ref.substring(0, colon)).withName(ref.substring(colon + 1))
                    .get();
            if (secret != null) {
                result.addAll(PullSecrets.credentials(secret));
            }
        }
        return result;
    }

    /** Read-modify-write of the status subresource, retried on conflicts with other writers. */
    private void writeStatus(String name, java.util.function.Consumer<Map<String, Object>> change) {
        var resource = client.genericKubernetesResources(ImageCacheApi.CONTEXT).withName(name);
        for (int attempt = 0; attempt < 5; attempt++) {
            GenericKubernetesResource latest = resource.get();
            if (latest == null) {
                return;
            }
            Map<String, Object> status = new LinkedHashMap<>(StatusMaps.status(latest));
            change.accept(status);
            latest.getAdditionalProperties().put("status", status);
            try {
                client.genericKubernetesResources(ImageCacheApi.CONTEXT).resource(latest).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return;
                }
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
        throw new IllegalStateException("image cache " + name + ": status kept conflicting");
    }

    private static void appendEvent(Map<String, Object> status, String type, String reason, String message,
                                    Instant at) {
        List<Object> events = new ArrayList<>(StatusMaps.list(status.get("events")));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.put("reason", reason);
        event.put("message", message);
        event.put("timestamp", at.toString());
        events.add(event);
        while (events.size() > MAX_EVENTS) {
            events.remove(0);
        }
        status.put("events", events);
    }

    private static String failure(Exception e) {
        Throwable cause = e instanceof java.util.concurrent.ExecutionException || e instanceof CompletionException
                ? e.getCause() : e;
        if (cause instanceof TimeoutException) {
            return "timed out after " + PULL_TIMEOUT.toMinutes() + " minutes";
        }
        return cause == null ? String.valueOf(e) : String.valueOf(cause.getMessage());
    }

    @Override
    public void close() {
        informer.close();
        queue.close();
    }
}
