package dev.skiff.control.controller;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PodTemplateHashTest {

    @Test
    void fnv32aMatchesTheReferenceVectors() {
        assertThat(PodTemplateHash.fnv32a(0x811c9dc5, new byte[0])).isEqualTo(0x811c9dc5);
        assertThat(PodTemplateHash.fnv32a(0x811c9dc5, "a".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(0xe40c292c);
        assertThat(PodTemplateHash.fnv32a(0x811c9dc5, "foobar".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(0xbf9cf968);
    }

    @Test
    void safeEncodingMapsDigitsLikeUpstream() {
        assertThat(PodTemplateHash.safeEncode("0123456789")).isEqualTo("456789bcdf");
    }

    @Test
    void equalTemplatesHashEqualAndCollisionCountChangesTheHash() {
        String a = PodTemplateHash.of(Fixtures.template(Map.of("app", "web", "tier", "front"), "nginx:1"), null);
        String b = PodTemplateHash.of(Fixtures.template(Map.of("tier", "front", "app", "web"), "nginx:1"), null);
        assertThat(a).isEqualTo(b).matches("[bcdfghjklmnpqrstvwxz2456789]+");
        assertThat(PodTemplateHash.of(Fixtures.template(Map.of("app", "web", "tier", "front"), "nginx:2"), null))
                .isNotEqualTo(a);
        assertThat(PodTemplateHash.of(Fixtures.template(Map.of("app", "web", "tier", "front"), "nginx:1"), 1))
                .isNotEqualTo(a);
    }
}
