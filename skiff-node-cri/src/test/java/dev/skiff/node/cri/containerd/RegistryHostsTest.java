package dev.skiff.node.cri.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.skiff.node.runtime.RegistryAccess.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-pull registry host files: what each mode writes, and pulls with other modes taking turns. */
class RegistryHostsTest {

    @TempDir
    Path dir;

    @Test
    void eachPullSeesItsOwnModeAndDisagreeingPullsTakeTurns() throws Exception {
        RegistryHosts hosts = new RegistryHosts(dir);
        hosts.allowPlainHttp("127.0.0.1:5000");
        Path local = dir.resolve("127.0.0.1:5000/hosts.toml");
        Path remote = dir.resolve("reg.example:5000/hosts.toml");
        assertThat(Files.readString(local)).contains("server = \"http://127.0.0.1:5000\"");

        try (var insecure = hosts.use("reg.example:5000", Mode.INSECURE);
             var again = hosts.use("reg.example:5000", Mode.INSECURE)) {
            assertThat(Files.readString(remote)).contains("server = \"https://reg.example:5000\"")
                    .contains("skip_verify = true");
            // A pull without the annotation waits until the insecure pulls are done, then sees no file at all.
            CompletableFuture<String> plainPull = CompletableFuture.supplyAsync(() -> {
                try (var lease = hosts.use("reg.example:5000", Mode.DEFAULT)) {
                    return Files.exists(remote) ? Files.readString(remote) : "none";
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // Other registries are not held up.
            try (var other = hosts.use("other.example", Mode.PLAIN_HTTP)) {
                assertThat(Files.readString(dir.resolve("other.example/hosts.toml")))
                        .contains("server = \"http://other.example\"");
            }
            assertThat(plainPull).isNotDone();
            insecure.close();
            assertThat(plainPull).isNotDone();
            again.close();
            await().atMost(Duration.ofSeconds(10)).until(plainPull::isDone);
            assertThat(plainPull.get()).isEqualTo("none");
        }
        // The node's own setting comes back for pulls without annotations.
        try (var plain = hosts.use("127.0.0.1:5000", Mode.INSECURE)) {
            assertThat(Files.readString(local)).contains("https://");
        }
        try (var lease = hosts.use("127.0.0.1:5000", Mode.DEFAULT)) {
            assertThat(Files.readString(local)).contains("server = \"http://127.0.0.1:5000\"");
        }
        assertThatThrownBy(() -> hosts.use("..", Mode.PLAIN_HTTP)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hosts.use("a/b", Mode.PLAIN_HTTP)).isInstanceOf(IllegalArgumentException.class);
    }
}
