package dev.skiff.server.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.image.Digest;
import dev.skiff.image.local.LocalRegistry;
import dev.skiff.image.registry.Manifest;
import dev.skiff.image.registry.RegistryClient;
import dev.skiff.server.SkiffCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code skiff image build} and {@code skiff image list} in-process against the registry a cluster data directory
 * runs ({@link ClusterRegistry}, the real distribution registry): push to the cluster's registry by default,
 * config from the flags, Debian packages unpacked, and the error paths users hit first.
 */
class ImageCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return SkiffCli.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void buildPushesToTheClusterRegistryAndListShowsIt(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Path site = Files.createDirectories(dir.resolve("site/var/www"));
        Files.writeString(site.resolve("index.html"), "hello from skiff\n");
        assertThat(run("image", "build", "--busybox", "--tag", "demo/web:v1", "--push", "--data-dir",
                data.toString())).as(err()).isEqualTo(1);
        assertThat(err()).contains("no registry is running for the cluster in " + data.toAbsolutePath());

        try (LocalRegistry registry = ClusterRegistry.start(data, 0, System.out).orElseThrow()) {
            assertThat(ClusterRegistry.address(data)).contains(registry.address());
            int status = run("image", "build", "--busybox", "--from-dir", dir.resolve("site").toString(),
                    "--tag", "demo/web:v1", "--push", "--data-dir", data.toString(),
                    "--cmd", "[\"httpd\",\"-f\",\"-p\",\"8080\",\"-h\",\"/var/www\"]", "--env", "GREETING=hi",
                    "--workdir", "/var/www", "--user", "65534", "--expose", "8080", "--label", "team=image",
                    "--oci-archive", dir.resolve("web.tar").toString());
            assertThat(status).as(err()).isZero();
            assertThat(out()).contains("built demo/web:v1", "pushed " + registry.address() + "/demo/web:v1");
            assertThat(dir.resolve("web.tar")).isNotEmptyFile();

            RegistryClient client = RegistryClient.forHost(registry.address(), false, null);
            Manifest manifest = client.getManifest("demo/web", "v1").orElseThrow();
            JsonNode doc = JSON.readTree(manifest.bytes());
            JsonNode config = JSON.readTree(client.getBlob("demo/web",
                    Digest.parse(doc.path("config").path("digest").asText()))).path("config");
            assertThat(config.path("Cmd").toString()).isEqualTo("[\"httpd\",\"-f\",\"-p\",\"8080\",\"-h\",\"/var/www\"]");
            assertThat(config.path("Env").toString()).contains("GREETING=hi", "PATH=");
            assertThat(config.path("WorkingDir").asText()).isEqualTo("/var/www");
            assertThat(config.path("User").asText()).isEqualTo("65534");
            assertThat(config.path("ExposedPorts").has("8080/tcp")).isTrue();
            assertThat(config.path("Labels").path("team").asText()).isEqualTo("image");

            assertThat(run("image", "list", "--data-dir", data.toString())).as(err()).isZero();
            assertThat(out()).contains(registry.address() + "/demo/web:v1", manifest.digest().toString());

            // Debian packages: the files of busybox-static, downloaded and unpacked, without busybox's symlinks.
            assumeThat(aptKnows("busybox-static")).as("apt knows busybox-static").isTrue();
            assertThat(run("image", "build", "--from-debian", "busybox-static", "--tag", "demo/deb",
                    "--entrypoint", "/bin/busybox", "--push", "--data-dir", data.toString())).as(err()).isZero();
            assertThat(client.tags("demo/deb")).containsExactly("latest");
            assertThat(run("image", "build", "--from-debian", "no-such-package-skiff", "--tag", "demo/x",
                    "--push", "--data-dir", data.toString())).isEqualTo(1);
            assertThat(err()).contains("Debian package \"no-such-package-skiff\" not found");
        }
    }

    @Test
    void usageAndRegistryErrorsAreClear(@TempDir Path dir) {
        assertThat(run("image", "build", "--busybox", "--tag", "Bad/Name", "--push")).isEqualTo(2);
        assertThat(err()).contains("bad --tag \"Bad/Name\"", "invalid repository name");
        assertThat(run("image", "build", "--tag", "demo/x", "--push")).isEqualTo(2);
        assertThat(err()).contains("nothing to build from");
        assertThat(run("image", "build", "--busybox", "--tag", "demo/x")).isEqualTo(2);
        assertThat(err()).contains("nowhere to put the image");
        assertThat(run("image", "build", "--busybox", "--tag", "demo/x", "--push", "--registry", "127.0.0.1:1"))
                .isEqualTo(1);
        assertThat(err()).contains("127.0.0.1:1", "unreachable");
        assertThat(run("image", "list", "--data-dir", dir.toString())).isEqualTo(1);
        assertThat(err()).contains("no registry is running");
    }

    private static boolean aptKnows(String pkg) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("apt-cache", "show", pkg).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
