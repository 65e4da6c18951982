package dev.skiff.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.image.Digest;
import dev.skiff.image.ImageReference;
import dev.skiff.image.MediaTypes;
import dev.skiff.image.Progress;
import dev.skiff.image.build.BuiltImage;
import dev.skiff.image.build.ImageBuilder;
import dev.skiff.image.build.ImageConfig;
import dev.skiff.image.build.Rootfs;
import dev.skiff.image.testing.TestRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A busybox image built here, pushed to a real distribution registry started by the test, reads back with the same
 * digests; skopeo (an independent OCI implementation) accepts it; a Basic-auth registry refuses anonymous pushes
 * and accepts authenticated ones, also with chunked uploads.
 */
class PushAndPullTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void busyboxImageReadsBackWithMatchingDigests() throws Exception {
        try (TestRegistry registry = TestRegistry.start()) {
            RegistryClient client = registry.client();
            String repo = TestRegistry.BUSYBOX_REPOSITORY;

            Manifest manifest = client.getManifest(repo, "latest").orElseThrow();
            assertThat(manifest.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
            assertThat(manifest.digest()).isEqualTo(registry.busyboxDigest());
            assertThat(client.getManifest(repo, registry.busyboxDigest().toString()).orElseThrow().digest())
                    .isEqualTo(registry.busyboxDigest());

            JsonNode doc = JSON.readTree(manifest.bytes());
            assertThat(doc.path("schemaVersion").asInt()).isEqualTo(2);
            Digest configDigest = Digest.parse(doc.path("config").path("digest").asText());
            byte[] config = client.getBlob(repo, configDigest);
            assertThat(Digest.of(config)).isEqualTo(configDigest);
            assertThat(config.length).isEqualTo(doc.path("config").path("size").asInt());

            JsonNode layerDescriptor = doc.path("layers").get(0);
            assertThat(layerDescriptor.path("mediaType").asText()).isEqualTo(MediaTypes.OCI_LAYER_GZIP);
            Digest layerDigest = Digest.parse(layerDescriptor.path("digest").asText());
            byte[] layer = client.getBlob(repo, layerDigest);
            assertThat(Digest.of(layer)).isEqualTo(layerDigest);
            assertThat((long) layer.length).isEqualTo(layerDescriptor.path("size").asLong());

            // The config's diff_id is the digest of the uncompressed tar: what containerd verifies after unpacking.
            byte[] tar;
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(layer))) {
                tar = in.readAllBytes();
            }
            JsonNode configDoc = JSON.readTree(config);
            assertThat(configDoc.path("rootfs").path("diff_ids").get(0).asText())
                    .isEqualTo(Digest.of(tar).toString());
            assertThat(configDoc.path("os").asText()).isEqualTo("linux");
            assertThat(configDoc.path("config").path("Cmd").get(0).asText()).isEqualTo("sh");

            Map<String, TarArchiveEntry> entries = entries(tar);
            assertThat(entries.get("bin/busybox").isFile()).isTrue();
            assertThat(entries.get("bin/busybox").getMode() & 0777).isEqualTo(0755);
            for (String applet : List.of("bin/sh", "usr/sbin/httpd", "bin/sleep", "bin/cat", "bin/tar", "usr/bin/nc")) {
                assertThat(entries.get(applet)).as(applet).isNotNull();
                assertThat(entries.get(applet).isSymbolicLink()).as(applet).isTrue();
                assertThat(entries.get(applet).getLinkName()).isEqualTo("/bin/busybox");
            }
            assertThat(entries.get("tmp/").getMode() & 07777).isEqualTo(01777);
            assertThat(entries.get("etc/passwd").isFile()).isTrue();

            assertThat(client.tags(repo)).containsExactly("latest");
            assertThat(client.catalog()).contains(repo);

            // An independent reader of the distribution API and OCI formats accepts the image.
            String inspected = run("skopeo", "inspect", "--tls-verify=false", "docker://" + registry.busybox());
            JsonNode inspect = JSON.readTree(inspected);
            assertThat(inspect.path("Digest").asText()).isEqualTo(registry.busyboxDigest().toString());
            assertThat(inspect.path("Layers").get(0).asText()).isEqualTo(layerDigest.toString());
        }
    }

    @Test
    void authenticatedRegistryRefusesAnonymousPushAndAcceptsChunkedUploadsWithCredentials(@TempDir Path dir)
            throws Exception {
        try (TestRegistry registry = TestRegistry.withAuth("alice", "s3cret")) {
            Rootfs rootfs = new Rootfs().file("data/random.bin", 0644, randomBytes(300_000));
            BuiltImage image = new ImageBuilder().build(rootfs, ImageConfig.defaults(), dir.resolve("blobs"),
                    Progress.NONE);
            ImageReference ref = ImageReference.parse(registry.address() + "/team/data:v1");

            RegistryClient anonymous = RegistryClient.forHost(registry.address(), true, null);
            assertThatThrownBy(() -> new ImagePusher(anonymous).push(image, ref, Progress.NONE))
                    .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(401))
                    .hasMessageContaining("requires authentication");
            RegistryClient wrong = RegistryClient.forHost(registry.address(), true, new Credentials("alice", "x"));
            assertThatThrownBy(() -> new ImagePusher(wrong).push(image, ref, Progress.NONE))
                    .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(401))
                    .hasMessageContaining("rejected the credentials");

            CountingProgress progress = new CountingProgress();
            Digest digest = new ImagePusher(registry.client(), 64 * 1024).push(image, ref, progress);
            assertThat(digest).isEqualTo(image.manifest().digest());
            assertThat(progress.bytes).isEqualTo(image.layerBytes() + image.config().size());
            Digest layer = image.layers().get(0).blob().digest();
            assertThat(Digest.of(registry.client().getBlob("team/data", layer))).isEqualTo(layer);

            // A second push finds every blob and only re-puts the manifest.
            CountingProgress again = new CountingProgress();
            new ImagePusher(registry.client()).push(image, ref, again);
            assertThat(again.bytes).isZero();
        }
    }

    @Test
    void unreachableRegistryIsReportedWithItsAddress() {
        RegistryClient client = RegistryClient.forHost("127.0.0.1:1", true, null);
        assertThat(client.ping()).isFalse();
        assertThatThrownBy(() -> client.blobExists("x/y", Digest.of(new byte[0])))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.unreachable()).isTrue())
                .hasMessageContaining("127.0.0.1:1")
                .hasMessageContaining("unreachable");
    }

    private static Map<String, TarArchiveEntry> entries(byte[] tar) throws IOException {
        Map<String, TarArchiveEntry> entries = new HashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), e);
            }
        }
        return entries;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new java.util.Random(42).nextBytes(bytes);
        return bytes;
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
        assertThat(p.exitValue()).as("%s exit status; output:%n%s", List.of(command), out).isZero();
        return out;
    }

    private static final class CountingProgress implements Progress {
        long bytes;

        @Override
        public void begin(String task, long totalBytes) {}

        @Override
        public void advance(long n) {
            bytes += n;
        }

        @Override
        public void end() {}
    }
}
