package dev.skiff.node.agent;

import dev.skiff.node.imagecache.CacheMatch;
import dev.skiff.node.imagecache.ImageCacheApi;
import dev.skiff.node.imagecache.ImageCacheMatcher;
import dev.skiff.node.runtime.ContainerSpec;
import dev.skiff.node.runtime.ImagePullPolicy;
import dev.skiff.node.runtime.InstanceSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The pod side of ECI's image cache (decision 032): a pod that asks for a cache
 * ({@code k8s.aliyun.com/eci-image-cache: "true"} or {@code k8s.aliyun.com/eci-image-snapshot-id}) is matched against
 * the ImageCaches just before its instance is created. On a match its containers pull only if the image is absent
 * (the cache put it on the node, so nothing is pulled), the pod is annotated with the matched {@code imc-...} id as
 * ECI annotates it, and a Normal {@code SuccessfulHitImageCache} event is recorded; a request that fits no cache
 * gives a Warning event with the matcher's reason and the pod pulls as usual. Thread-safe when its inputs are.
 */
final class ImageCacheHits {

    /** The annotation ECI sets on a pod that was created from an image cache. */
    static final String MATCHED_ANNOTATION = "k8s.aliyun.com/eci-matched-image-cache";
    static final String HIT_REASON = "SuccessfulHitImageCache";
    static final String MISS_REASON = "FailedHitImageCache";

    private final Supplier<Collection<GenericKubernetesResource>> caches;
    private final Clock clock;
    private final BiConsumer<Pod, String> annotate;

    /**
     * @param caches   the ImageCaches currently known (an informer's store); read on every matched pod
     * @param annotate writes {@link #MATCHED_ANNOTATION} with the given id onto the pod (blocking, best effort)
     */
    ImageCacheHits(Supplier<Collection<GenericKubernetesResource>> caches, Clock clock,
                   BiConsumer<Pod, String> annotate) {
        this.caches = caches;
        this.clock = clock;
        this.annotate = annotate;
    }

    /** The spec to run: unchanged unless the pod matched a cache. Records the hit or miss on the pod. */
    InstanceSpec apply(Pod pod, InstanceSpec spec, PodEvents events) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        if (annotations == null || !(annotations.containsKey(ImageCacheApi.AUTO_MATCH_ANNOTATION)
                || annotations.containsKey(ImageCacheApi.SNAPSHOT_ID_ANNOTATION))) {
            return spec; // most pods: no need to know the caches at all
        }
        List<String> images = Stream.concat(spec.initContainers().stream(), spec.containers().stream())
                .map(ContainerSpec::image).distinct().toList();
        CacheMatch match = ImageCacheMatcher.match(annotations, images, caches.get(), clock.instant());
        return switch (match) {
            case CacheMatch.NotRequested n -> spec;
            case CacheMatch.Unmatched u -> {
                events.record(pod, null, false, true, MISS_REASON,
                        "Image cache not used, the images will be pulled: " + u.message());
                yield spec;
            }
            case CacheMatch.Matched m -> {
                if (!m.imageCacheId().equals(annotations.get(MATCHED_ANNOTATION))) {
                    annotate.accept(pod, m.imageCacheId());
                }
                events.record(pod, null, false, false, HIT_REASON, "Successfully hit image cache "
                        + m.imageCacheId() + " (" + m.cacheName() + "); its images are not pulled again");
                yield spec.withContainers(fromCache(spec.initContainers()), fromCache(spec.containers()));
            }
        };
    }

    /**
     * {@code Always} becomes {@code IfNotPresent}: the cache holds every image of the pod (the matcher requires it),
     * so the runtime finds them and pulls nothing; {@code Never} stays as it is.
     */
    private static List<ContainerSpec> fromCache(List<ContainerSpec> containers) {
        return containers.stream().map(c -> c.imagePullPolicy() != ImagePullPolicy.ALWAYS ? c
                : new ContainerSpec(c.name(), c.image(), ImagePullPolicy.IF_NOT_PRESENT, c.command(), c.args(),
                        c.workingDir(), c.env(), c.resources(), c.stdin(), c.tty(), c.mounts(), c.security()))
                .toList();
    }
}
