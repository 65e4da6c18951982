package dev.skiff.node.cri;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.node.cri.proto.AuthConfig;
import dev.skiff.node.runtime.RegistryCredential;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which credentials a pull tries: those the keyring matches to the reference's registry host, in its order. */
class CriImagesTest {

    @Test
    void theRegistryOfAReferenceChoosesTheCredentials() {
        List<RegistryCredential> credentials = List.of(new RegistryCredential("registry.example", "a", "1"),
                new RegistryCredential("https://index.docker.io/v1/", "hub", "2"),
                new RegistryCredential("*.example", "glob", "3"));
        assertThat(CriImages.auths("registry.example/app", credentials)).extracting(AuthConfig::getUsername)
                .containsExactly("a", "glob");
        assertThat(CriImages.auths("busybox", credentials)).extracting(AuthConfig::getPassword)
                .containsExactly("2");
        assertThat(CriImages.auths("other.example/app", credentials)).extracting(AuthConfig::getUsername)
                .containsExactly("glob");
        assertThat(CriImages.auths("registry.example:5000/app", credentials)).as("ports must match").isEmpty();
        assertThat(CriImages.auths("elsewhere.test/app", credentials)).isEmpty();
    }
}
