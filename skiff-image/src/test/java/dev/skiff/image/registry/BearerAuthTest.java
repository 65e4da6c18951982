package dev.skiff.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.image.Digest;
import dev.skiff.image.ImageReference;
import dev.skiff.image.Progress;
import dev.skiff.image.build.BuiltImage;
import dev.skiff.image.build.ImageBuilder;
import dev.skiff.image.build.ImageConfig;
import dev.skiff.image.build.Rootfs;
import dev.skiff.image.local.LocalRegistry;
import dev.skiff.image.local.RegistryOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker token protocol against the real distribution registry in token mode: the client follows the
 * registry's Bearer challenge to the token server, authenticates there with Basic credentials, and retries with
 * the token; a client without credentials gets a token without access and is refused.
 */
class BearerAuthTest {

    @Test
    void pushAndPullThroughBearerTokens(@TempDir Path dir) throws Exception {
        String service = "skiff-test-registry";
        try (TokenServer tokens = new TokenServer(service, "bob", "pw");
                LocalRegistry registry = LocalRegistry.start(RegistryOptions.of(dir.resolve("registry"))
                        .withTokenAuth(new RegistryOptions.TokenAuth(tokens.realm().toString(), service,
                                TokenServer.ISSUER, tokens.writeCertificate(dir.resolve("token-ca.pem")))))) {
            BuiltImage image = new ImageBuilder().build(new Rootfs().file("hello.txt", 0644, "hello"),
                    ImageConfig.defaults(), dir.resolve("blobs"), Progress.NONE);
            ImageReference ref = ImageReference.parse(registry.address() + "/private/app:v1");

            RegistryClient anonymous = RegistryClient.forHost(registry.address(), true, null);
            assertThatThrownBy(() -> new ImagePusher(anonymous).push(image, ref, Progress.NONE))
                    .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(401));

            RegistryClient bob = RegistryClient.forHost(registry.address(), true, new Credentials("bob", "pw"));
            Digest digest = new ImagePusher(bob).push(image, ref, Progress.NONE);
            assertThat(digest).isEqualTo(image.manifest().digest());
            int afterPush = tokens.issued.get();
            assertThat(bob.getManifest("private/app", "v1").orElseThrow().digest()).isEqualTo(digest);
            assertThat(bob.tags("private/app")).containsExactly("v1");
            assertThat(tokens.issued.get()).as("the push token also serves pulls").isEqualTo(afterPush);
        }
    }
}
