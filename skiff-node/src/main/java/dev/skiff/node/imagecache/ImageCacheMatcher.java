package dev.skiff.node.imagecache;

import dev.skiff.node.runtime.ImageReference;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Picks the image cache a pod starts from, as ECI does: with {@code k8s.aliyun.com/eci-image-snapshot-id} the named
 * cache (which must be Ready), with {@code k8s.aliyun.com/eci-image-cache: "true"} the Ready cache that holds the most
 * of the pod's images, all of them required here (a partial match would still pull), newest first on ties. Expired
 * caches never match. Pure and thread-safe.
 */
public final class ImageCacheMatcher {

    private ImageCacheMatcher() {
    }

    public static CacheMatch match(Map<String, String> podAnnotations, List<String> podImages,
                                   Collection<GenericKubernetesResource> caches, Instant now) {
        Map<String, String> annotations = podAnnotations == null ? Map.of() : podAnnotations;
        String snapshotId = annotations.getOrDefault(ImageCacheApi.SNAPSHOT_ID_ANNOTATION, "").strip();
        boolean auto = "true".equalsIgnoreCase(annotations.getOrDefault(ImageCacheApi.AUTO_MATCH_ANNOTATION, ""));
        if (snapshotId.isEmpty() && !auto) {
            return new CacheMatch.NotRequested();
        }
        Set<String> wanted = podImages.stream().map(ImageReference::normalize).collect(Collectors.toSet());
        if (!snapshotId.isEmpty()) {
            Optional<GenericKubernetesResource> named = caches.stream()
                    .filter(c -> snapshotId.equals(StatusMaps.status(c).get("imageCacheId")))
                    .findFirst();
            if (named.isEmpty()) {
                return new CacheMatch.Unmatched("image cache " + snapshotId + " not found");
            }
            GenericKubernetesResource cache = named.get();
            if (!usable(cache, now)) {
                return new CacheMatch.Unmatched("image cache " + snapshotId + " is "
                        + StatusMaps.status(cache).getOrDefault("phase", "not built") + ", not Ready");
            }
            return new CacheMatch.Matched(snapshotId, cache.getMetadata().getName());
        }
        return caches.stream()
                .filter(c -> usable(c, now))
                .filter(c -> images(c).containsAll(wanted))
                .max(Comparator.comparing(c -> c.getMetadata().getCreationTimestamp() == null ? ""
                        : c.getMetadata().getCreationTimestamp()))
                .<CacheMatch>map(c -> new CacheMatch.Matched((String) StatusMaps.status(c).get("imageCacheId"),
                        c.getMetadata().getName()))
                .orElseGet(() -> new CacheMatch.Unmatched("no Ready image cache holds all of " + podImages));
    }

    private static boolean usable(GenericKubernetesResource cache, Instant now) {
        Map<String, Object> status = StatusMaps.status(cache);
        if (!ImageCacheApi.PHASE_READY.equals(status.get("phase"))) {
            return false;
        }
        Object expires = status.get("expireDateTime");
        return !(expires instanceof String s) || Instant.parse(s).isAfter(now);
    }

    private static Set<String> images(GenericKubernetesResource cache) {
        Object spec = cache.getAdditionalProperties().get("spec");
        return StatusMaps.strings(StatusMaps.map(spec).get("images")).stream()
                .map(ImageReference::normalize)
                .collect(Collectors.toSet());
    }
}
