package dev.skiff.node.cri;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.node.runtime.RegistryCredential;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which credential a pull uses: the one of the reference's registry host, by the Docker reference rules. */
class CriImagesTest {

    @Test
    void theRegistryOfAReferenceChoosesTheCredential() {
        assertThat(CriImages.registryOf("busybox")).isEqualTo("docker.io");
        assertThat(CriImages.registryOf("library/busybox:1")).isEqualTo("docker.io");
        assertThat(CriImages.registryOf("localhost/app")).isEqualTo("localhost");
        assertThat(CriImages.registryOf("127.0.0.1:5000/skiff/app@sha256:00")).isEqualTo("127.0.0.1:5000");
        assertThat(CriImages.registryOf("registry.example/team/app:v2")).isEqualTo("registry.example");

        List<RegistryCredential> credentials = List.of(new RegistryCredential("registry.example", "a", "1"),
                new RegistryCredential("https://index.docker.io/v1/", "hub", "2"));
        assertThat(CriImages.authFor("registry.example/app", credentials)).hasValueSatisfying(auth ->
                assertThat(auth.getUsername()).isEqualTo("a"));
        assertThat(CriImages.authFor("busybox", credentials)).hasValueSatisfying(auth ->
                assertThat(auth.getPassword()).isEqualTo("2"));
        assertThat(CriImages.authFor("other.example/app", credentials)).isEmpty();
    }
}
