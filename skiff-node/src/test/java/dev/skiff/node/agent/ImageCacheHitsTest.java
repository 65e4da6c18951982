package dev.skiff.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.node.runtime.ContainerSpec;
import dev.skiff.node.runtime.ImagePullPolicy;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceSpec;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ImageCacheHitsTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
    private final List<Event> recorded = new CopyOnWriteArrayList<>();
    private final EventBroadcaster broadcaster = new EventBroadcaster("test", EventBroadcaster.Limits.kubelet(),
            clock, recorded::add);
    private final PodEvents events = new PodEvents("node-1", clock, broadcaster);
    private final Map<String, String> annotated = new ConcurrentHashMap<>();
    private final AtomicInteger listed = new AtomicInteger();
    private final ImageCacheHits hits = new ImageCacheHits(() -> {
        listed.incrementAndGet();
        return List.of(cache("web", "imc-web", "nginx:1.27", "busybox"));
    }, clock, (pod, id) -> annotated.put(pod.getMetadata().getName(), id));

    @AfterEach
    void close() {
        broadcaster.close();
    }

    private static GenericKubernetesResource cache(String name, String id, String... images) {
        GenericKubernetesResource cache = new GenericKubernetesResource();
        cache.setMetadata(new ObjectMetaBuilder().withName(name).withCreationTimestamp("2026-11-20T00:00:00Z")
                .build());
        cache.setAdditionalProperty("spec", Map.of("images", List.of(images)));
        cache.setAdditionalProperty("status", Map.of("imageCacheId", id, "phase", "Ready"));
        return cache;
    }

    private static Pod pod(String name, Map<String, String> annotations) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withUid("uid-" + name)
                .withAnnotations(annotations).endMetadata().build();
    }

    private static InstanceSpec spec(String... images) {
        List<ContainerSpec> containers = new java.util.ArrayList<>();
        for (int i = 0; i < images.length; i++) {
            containers.add(new ContainerSpec("c" + i, images[i], i == 0 ? ImagePullPolicy.ALWAYS
                    : ImagePullPolicy.NEVER, null, null, null, null, null, false, false));
        }
        return InstanceSpec.of(InstanceId.of("uid"), "default", "p", containers);
    }

    @Test
    void aMatchedPodPullsNothingAndIsAnnotatedWithTheCacheId() {
        InstanceSpec out = hits.apply(pod("hit", Map.of("k8s.aliyun.com/eci-image-cache", "true")),
                spec("nginx:1.27", "busybox"), events);

        // Always becomes IfNotPresent (the cache put the image on the node); Never stays Never.
        assertThat(out.containers()).extracting(ContainerSpec::imagePullPolicy)
                .containsExactly(ImagePullPolicy.IF_NOT_PRESENT, ImagePullPolicy.NEVER);
        assertThat(annotated).containsExactly(Map.entry("hit", "imc-web"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(recorded).singleElement()
                .satisfies(e -> {
                    assertThat(e.getType()).isEqualTo("Normal");
                    assertThat(e.getReason()).isEqualTo("SuccessfulHitImageCache");
                    assertThat(e.getMessage()).contains("imc-web");
                }));
    }

    @Test
    void anUnmatchedRequestWarnsAndPullsAsUsual() {
        InstanceSpec in = spec("redis:7");
        InstanceSpec out = hits.apply(pod("miss", Map.of("k8s.aliyun.com/eci-image-snapshot-id", "imc-gone")), in,
                events);

        assertThat(out).isEqualTo(in);
        assertThat(annotated).isEmpty();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(recorded).singleElement()
                .satisfies(e -> {
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getReason()).isEqualTo("FailedHitImageCache");
                    assertThat(e.getMessage()).contains("image cache imc-gone not found");
                }));
    }

    @Test
    void aPodAskingForNoCacheIsLeftAloneWithoutListingCaches() {
        InstanceSpec in = spec("nginx:1.27");
        assertThat(hits.apply(pod("plain", Map.of("other", "x")), in, events)).isEqualTo(in);
        assertThat(hits.apply(pod("bare", null), in, events)).isEqualTo(in);
        assertThat(listed).hasValue(0);
        assertThat(recorded).isEmpty();
    }
}
