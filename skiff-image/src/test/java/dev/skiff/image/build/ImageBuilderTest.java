package dev.skiff.image.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.image.Digest;
import dev.skiff.image.Progress;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers, configs and OCI layouts from files: content, modes, reproducibility, and skopeo reading the layout. */
class ImageBuilderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void directoryBecomesReproducibleLayerWithConfigAndLayoutThatSkopeoReads(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.createDirectories(src.resolve("app/static"));
        Files.writeString(src.resolve("app/static/index.html"), "<h1>hi</h1>\n");
        Path run = Files.writeString(src.resolve("app/run.sh"), "#!/bin/sh\necho run\n");
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(src.resolve("app/current"), Path.of("static"));
        String longName = "d/" + "x".repeat(150) + "/file.txt";
        Files.createDirectories(src.resolve(longName).getParent());
        Files.writeString(src.resolve(longName), "long");

        ImageConfig config = ImageConfig.defaults()
                .withEntrypoint(List.of("/app/run.sh")).withCmd(List.of("--port", "8080"))
                .withEnv("MODE=prod").withWorkingDir("/app").withUser("65534:65534")
                .withLabel("org.example", "yes").withExposedPort("8080")
                .withCreated(Instant.parse("2026-01-02T03:04:05Z"));
        BuiltImage first = new ImageBuilder().build(Rootfs.fromDirectory(src), config, tmp.resolve("a"),
                Progress.NONE);
        BuiltImage second = new ImageBuilder().build(Rootfs.fromDirectory(src), config, tmp.resolve("b"),
                Progress.NONE);
        assertThat(second.manifest().digest()).as("same files, same image").isEqualTo(first.manifest().digest());
        assertThat(second.layers().get(0).blob().digest()).isEqualTo(first.layers().get(0).blob().digest());

        Layer layer = first.layers().get(0);
        byte[] gz = Files.readAllBytes(layer.blob().file());
        assertThat(Digest.of(gz)).isEqualTo(layer.blob().digest());
        byte[] tar;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            tar = in.readAllBytes();
        }
        assertThat(Digest.of(tar)).isEqualTo(layer.diffId());
        Map<String, TarArchiveEntry> entries = entries(tar);
        assertThat(entries.keySet()).containsSubsequence("app/", "app/current", "app/run.sh", "app/static/",
                "app/static/index.html");
        assertThat(entries.get("app/run.sh").getMode() & 07777).isEqualTo(0750);
        assertThat(entries.get("app/current").getLinkName()).isEqualTo("static");
        assertThat(entries.get(longName).getSize()).isEqualTo(4);
        assertThat(entries.get("app/static/index.html").getLongUserId()).isZero();

        JsonNode doc = JSON.readTree(Files.readAllBytes(first.config().file()));
        JsonNode run2 = doc.path("config");
        assertThat(run2.path("Entrypoint").get(0).asText()).isEqualTo("/app/run.sh");
        assertThat(run2.path("Cmd").toString()).isEqualTo("[\"--port\",\"8080\"]");
        assertThat(run2.path("Env").toString()).contains("PATH=", "MODE=prod");
        assertThat(run2.path("WorkingDir").asText()).isEqualTo("/app");
        assertThat(run2.path("User").asText()).isEqualTo("65534:65534");
        assertThat(run2.path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(run2.path("Labels").path("org.example").asText()).isEqualTo("yes");
        assertThat(doc.path("created").asText()).isEqualTo("2026-01-02T03:04:05Z");

        Path layout = tmp.resolve("layout");
        OciLayout.writeDirectory(first, "v1", layout);
        Path archive = tmp.resolve("image.tar");
        OciLayout.writeArchive(first, "v1", archive);
        for (String source : List.of("oci:" + layout + ":v1", "oci-archive:" + archive + ":v1")) {
            JsonNode inspect = JSON.readTree(run("skopeo", "inspect", source));
            assertThat(inspect.path("Digest").asText()).as(source).isEqualTo(first.manifest().digest().toString());
            assertThat(inspect.path("Env").toString()).contains("MODE=prod");
        }
    }

    @Test
    void rootfsAddsParentsAndRejectsEscapingPaths() throws IOException {
        Rootfs rootfs = new Rootfs().file("/a/b/c.txt", 0600, "x").symlink("a/link", "b/c.txt");
        assertThat(rootfs.entries()).extracting(FileEntry::path).containsExactly("a", "a/b", "a/b/c.txt", "a/link");
        assertThatThrownBy(() -> new Rootfs().file("../etc/passwd", 0644, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("../etc/passwd");
        assertThatThrownBy(() -> ImageConfig.defaults().withWorkingDir("relative"))
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> ImageConfig.defaults().withExposedPort("http"))
                .hasMessageContaining("PORT");
        Map<String, String> env = new LinkedHashMap<>();
        ImageConfig.defaults().withEnv("A=1").withEnv("A=2").env().forEach(e -> env.put(e.split("=")[0], e));
        assertThat(env.get("A")).isEqualTo("A=2");
    }

    private static Map<String, TarArchiveEntry> entries(byte[] tar) throws IOException {
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), e);
            }
        }
        return entries;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", List.of(command), out).isZero();
        return out;
    }
}
