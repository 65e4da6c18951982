package dev.skiff.node.imagecache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.node.runtime.RegistryCredential;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PullSecretsTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Secret secret(String key, String json) {
        return new SecretBuilder().withNewMetadata().withName("s").endMetadata()
                .addToData(key, b64(json)).build();
    }

    @Test
    void readsUsernamePasswordAndAuthForms() {
        Secret secret = secret(".dockerconfigjson", """
                {"auths":{"registry.example:5000":{"username":"alice","password":"pw1"},
                          "https://index.docker.io/v1/":{"auth":"%s"}}}""".formatted(b64("bob:p:w2")));
        assertThat(PullSecrets.credentials(secret)).containsExactlyInAnyOrder(
                new RegistryCredential("registry.example:5000", "alice", "pw1"),
                new RegistryCredential("docker.io", "bob", "p:w2"));
    }

    @Test
    void readsTheLegacyDockercfgAndIgnoresGarbage() {
        assertThat(PullSecrets.credentials(secret(".dockercfg", """
                {"r.example":{"username":"u","password":"p"}}""")))
                .containsExactly(new RegistryCredential("r.example", "u", "p"));
        assertThat(PullSecrets.credentials(secret(".dockerconfigjson", "not json"))).isEmpty();
        assertThat(PullSecrets.credentials(new SecretBuilder().build())).isEmpty();
    }

    @Test
    void neverPrintsThePassword() {
        assertThat(new RegistryCredential("r", "u", "secret-pw").toString()).doesNotContain("secret-pw");
    }
}
