package dev.skiff.node.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriterTest {

    @TempDir
    Path dir;

    private final AtomicWriter writer = new AtomicWriter(Clock.systemUTC());

    private static Payload text(String s, int mode) {
        return new Payload(s.getBytes(StandardCharsets.UTF_8), mode);
    }

    @Test
    void writesTheKubeletLayoutAndSwapsVersionsAtomically() throws Exception {
        Path vol = dir.resolve("cfg");
        assertThat(writer.write(vol, Map.of("a", text("1", 0644), "sub/b", text("2", 0400)))).isTrue();

        assertThat(Files.isSymbolicLink(vol.resolve("..data"))).isTrue();
        assertThat(Files.readSymbolicLink(vol.resolve("a"))).isEqualTo(Path.of("..data", "a"));
        assertThat(Files.readString(vol.resolve("a"))).isEqualTo("1");
        assertThat(Files.readString(vol.resolve("sub/b"))).isEqualTo("2");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(vol.resolve("sub/b").toRealPath())))
                .isEqualTo("r--------");
        Path first = vol.resolve("..data").toRealPath();

        assertThat(writer.write(vol, Map.of("a", text("1", 0644), "sub/b", text("2", 0400)))).isFalse();

        assertThat(writer.write(vol, Map.of("a", text("changed", 0644), "c", text("3", 0644)))).isTrue();
        assertThat(Files.readString(vol.resolve("a"))).isEqualTo("changed");
        assertThat(Files.readString(vol.resolve("c"))).isEqualTo("3");
        assertThat(Files.exists(vol.resolve("sub"))).isFalse();
        assertThat(Files.exists(first)).as("the old version is removed").isFalse();
        try (Stream<Path> entries = Files.list(vol)) {
            assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("..")))
                    .as("one version directory and ..data").hasSize(2);
        }
    }

    @Test
    void refusesPathsLeavingTheVolume() {
        assertThatThrownBy(() -> writer.write(dir, Map.of("../x", text("", 0644))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.write(dir, Map.of("/etc/x", text("", 0644))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
