package dev.skiff.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {

    @ParameterizedTest
    @CsvSource({
            "busybox, docker.io/library/busybox:latest, docker.io",
            "busybox:1.36, docker.io/library/busybox:1.36, docker.io",
            "docker.io/library/busybox, docker.io/library/busybox:latest, docker.io",
            "bitnami/nginx, docker.io/bitnami/nginx:latest, docker.io",
            "localhost:5000/app, localhost:5000/app:latest, localhost:5000",
            "127.0.0.1:5000/team/app:v2, 127.0.0.1:5000/team/app:v2, 127.0.0.1:5000",
            "localhost/app, localhost/app:latest, localhost",
            "registry.example/app@sha256:abc, registry.example/app@sha256:abc, registry.example",
    })
    void normalisesLikeContainerd(String reference, String normalized, String registry) {
        assertThat(ImageReference.normalize(reference)).isEqualTo(normalized);
        assertThat(ImageReference.registry(reference)).isEqualTo(registry);
    }
}
