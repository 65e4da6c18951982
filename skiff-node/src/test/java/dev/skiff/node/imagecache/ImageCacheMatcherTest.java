package dev.skiff.node.imagecache;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageCacheMatcherTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private static GenericKubernetesResource cache(String name, String created, String id, String phase,
                                                   String expires, String... images) {
        GenericKubernetesResource cache = new GenericKubernetesResource();
        cache.setApiVersion("eci.alibabacloud.com/v1");
        cache.setKind("ImageCache");
        cache.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name)
                .withCreationTimestamp(created).build());
        cache.setAdditionalProperty("spec", Map.of("images", List.of(images)));
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("imageCacheId", id);
        status.put("phase", phase);
        if (expires != null) {
            status.put("expireDateTime", expires);
        }
        cache.setAdditionalProperty("status", status);
        return cache;
    }

    private final List<GenericKubernetesResource> caches = List.of(
            cache("old", "2026-11-20T00:00:00Z", "imc-old", "Ready", null, "busybox", "nginx:1.27"),
            cache("new", "2026-11-22T00:00:00Z", "imc-new", "Ready", null, "docker.io/library/busybox:latest"),
            cache("building", "2026-11-23T00:00:00Z", "imc-building", "Creating", null, "busybox"),
            cache("expired", "2026-11-23T01:00:00Z", "imc-expired", "Ready", "2026-11-23T11:00:00Z", "busybox"));

    @Test
    void podsWithoutTheAnnotationsAskForNothing() {
        assertThat(ImageCacheMatcher.match(Map.of(), List.of("busybox"), caches, NOW))
                .isEqualTo(new CacheMatch.NotRequested());
    }

    @Test
    void automaticMatchingTakesTheNewestReadyUnexpiredCacheHoldingEveryImage() {
        var auto = Map.of(ImageCacheApi.AUTO_MATCH_ANNOTATION, "true");
        assertThat(ImageCacheMatcher.match(auto, List.of("busybox:latest"), caches, NOW))
                .isEqualTo(new CacheMatch.Matched("imc-new", "new"));
        assertThat(ImageCacheMatcher.match(auto, List.of("busybox", "nginx:1.27"), caches, NOW))
                .isEqualTo(new CacheMatch.Matched("imc-old", "old"));
        assertThat(ImageCacheMatcher.match(auto, List.of("busybox", "redis"), caches, NOW))
                .isInstanceOf(CacheMatch.Unmatched.class);
    }

    @Test
    void aNamedSnapshotMustExistAndBeReady() {
        assertThat(ImageCacheMatcher.match(Map.of(ImageCacheApi.SNAPSHOT_ID_ANNOTATION, "imc-old"),
                List.of("busybox"), caches, NOW)).isEqualTo(new CacheMatch.Matched("imc-old", "old"));
        assertThat(ImageCacheMatcher.match(Map.of(ImageCacheApi.SNAPSHOT_ID_ANNOTATION, "imc-building"),
                List.of("busybox"), caches, NOW))
                .isEqualTo(new CacheMatch.Unmatched("image cache imc-building is Creating, not Ready"));
        assertThat(ImageCacheMatcher.match(Map.of(ImageCacheApi.SNAPSHOT_ID_ANNOTATION, "imc-none"),
                List.of("busybox"), caches, NOW))
                .isEqualTo(new CacheMatch.Unmatched("image cache imc-none not found"));
        assertThat(ImageCacheMatcher.match(Map.of(ImageCacheApi.SNAPSHOT_ID_ANNOTATION, "imc-expired"),
                List.of("busybox"), caches, NOW)).isInstanceOf(CacheMatch.Unmatched.class);
    }
}
