package dev.skiff.server.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.image.local.LocalRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster registry's port rules: the default port when free, else a free one with a notice; explicit = strict. */
class ClusterRegistryTest {

    @Test
    void takenDefaultPortFallsBackWithANoticeAndATakenExplicitPortFails(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        // Hold the default port (unless someone else already does): either way it is taken while we start.
        ServerSocket holder = LocalRegistry.portFree(ClusterRegistry.DEFAULT_PORT)
                ? new ServerSocket(ClusterRegistry.DEFAULT_PORT, 1, InetAddress.getLoopbackAddress()) : null;
        try {
            try (LocalRegistry registry = ClusterRegistry.start(dir, null, print).orElseThrow()) {
                assertThat(registry.port()).isNotEqualTo(ClusterRegistry.DEFAULT_PORT);
                assertThat(out.toString(StandardCharsets.UTF_8)).contains("port 5000 is in use");
                assertThat(ClusterRegistry.address(dir)).contains(registry.address());

                assertThatThrownBy(() -> ClusterRegistry.start(dir.resolve("other"), registry.port(), print))
                        .hasMessageContaining("port " + registry.port() + " on 127.0.0.1 is already in use");
            }
            assertThat(ClusterRegistry.address(dir)).as("the address file goes with the registry").isEmpty();
        } finally {
            if (holder != null) {
                holder.close();
            }
        }
    }
}
