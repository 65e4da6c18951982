package dev.skiff.apiserver.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.admission.PodSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProfileEffectsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final PodSelector SPECS_FOR_TEAM_A = new PodSelector("team-a", Map.of("team", "a"), Map.of(),
            Map.of("k8s.aliyun.com/eci-use-specs", "2-4Gi"), Map.of("eci", "true"));
    private static final PodSelector CACHE_FOR_WEB = new PodSelector("web", Map.of(), Map.of("app", "web"),
            Map.of("k8s.aliyun.com/eci-image-cache", "true", "k8s.aliyun.com/eci-use-specs", "8-16Gi"), Map.of());

    private record Case(String name, String metadata, Map<String, String> namespaceLabels,
                        List<PodSelector> selectors, String expectedMetadata) {
    }

    @Test
    void selectorsAddWhatThePodLacks() throws Exception {
        List<Case> cases = List.of(
                new Case("no selectors", "{\"namespace\":\"ns\"}", Map.of("team", "a"), List.of(),
                        "{\"namespace\":\"ns\"}"),
                new Case("namespace labels match", "{\"namespace\":\"ns\"}", Map.of("team", "a", "x", "y"),
                        List.of(SPECS_FOR_TEAM_A),
                        "{\"namespace\":\"ns\",\"annotations\":{\"k8s.aliyun.com/eci-use-specs\":\"2-4Gi\"},"
                                + "\"labels\":{\"eci\":\"true\"}}"),
                new Case("namespace labels differ", "{\"namespace\":\"ns\"}", Map.of("team", "b"),
                        List.of(SPECS_FOR_TEAM_A), "{\"namespace\":\"ns\"}"),
                new Case("pod labels match", "{\"namespace\":\"ns\",\"labels\":{\"app\":\"web\"}}", Map.of(),
                        List.of(CACHE_FOR_WEB),
                        "{\"namespace\":\"ns\",\"labels\":{\"app\":\"web\"},\"annotations\":{"
                                + "\"k8s.aliyun.com/eci-image-cache\":\"true\","
                                + "\"k8s.aliyun.com/eci-use-specs\":\"8-16Gi\"}}"),
                new Case("the pod's own values win",
                        "{\"namespace\":\"ns\",\"labels\":{\"eci\":\"no\"},"
                                + "\"annotations\":{\"k8s.aliyun.com/eci-use-specs\":\"1-2Gi\"}}",
                        Map.of("team", "a"), List.of(SPECS_FOR_TEAM_A),
                        "{\"namespace\":\"ns\",\"labels\":{\"eci\":\"no\"},"
                                + "\"annotations\":{\"k8s.aliyun.com/eci-use-specs\":\"1-2Gi\"}}"),
                new Case("the first selector setting a key wins",
                        "{\"namespace\":\"ns\",\"labels\":{\"app\":\"web\"}}", Map.of("team", "a"),
                        List.of(SPECS_FOR_TEAM_A, CACHE_FOR_WEB),
                        "{\"namespace\":\"ns\",\"labels\":{\"app\":\"web\",\"eci\":\"true\"},\"annotations\":{"
                                + "\"k8s.aliyun.com/eci-use-specs\":\"2-4Gi\","
                                + "\"k8s.aliyun.com/eci-image-cache\":\"true\"}}"),
                new Case("both sides must match", "{\"namespace\":\"ns\",\"labels\":{\"app\":\"web\"}}",
                        Map.of("team", "b"),
                        List.of(new PodSelector("both", Map.of("team", "a"), Map.of("app", "web"),
                                Map.of("a", "1"), Map.of())),
                        "{\"namespace\":\"ns\",\"labels\":{\"app\":\"web\"}}"),
                new Case("an added label does not make a later selector match", "{\"namespace\":\"ns\"}",
                        Map.of("team", "a"),
                        List.of(new PodSelector("adds", Map.of("team", "a"), Map.of(), Map.of(),
                                        Map.of("app", "web")), CACHE_FOR_WEB),
                        "{\"namespace\":\"ns\",\"labels\":{\"app\":\"web\"}}"));
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            ObjectNode pod = (ObjectNode) JSON.readTree("{\"metadata\":" + c.metadata() + "}");
            ProfileEffects.admit(pod, c.selectors(), namespace -> {
                assertThat(namespace).isEqualTo("ns");
                return c.namespaceLabels();
            });
            if (!pod.path("metadata").equals(JSON.readTree(c.expectedMetadata()))) {
                failures.add(c.name() + ": " + pod.path("metadata"));
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void theNamespaceIsLookedUpOnlyWhenASelectorNeedsIt() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        ObjectNode pod = (ObjectNode) JSON.readTree("{\"metadata\":{\"namespace\":\"ns\"}}");
        ProfileEffects.admit(pod, List.of(CACHE_FOR_WEB, CACHE_FOR_WEB), namespace -> {
            lookups.incrementAndGet();
            return Map.of();
        });
        ProfileEffects.admit(pod, List.of(SPECS_FOR_TEAM_A, SPECS_FOR_TEAM_A), namespace -> {
            lookups.incrementAndGet();
            return Map.of();
        });
        assertThat(lookups).hasValue(1);
    }
}
