package dev.skiff.apiserver.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.skiff.apiserver.ExternalTools;
import dev.skiff.apiserver.ExternalTools.Result;

class KubeconfigTest {

    private static final URI SERVER = URI.create("https://127.0.0.1:6443");

    @TempDir
    static Path pkiDir;

    private static ClusterPki pki;

    @TempDir
    Path dir;

    @BeforeAll
    static void createPki() throws Exception {
        pki = ClusterPki.loadOrCreate(pkiDir, Clock.systemUTC());
    }

    @Test
    void writesAStandardKubeconfigOwnerOnly() throws Exception {
        Path file = dir.resolve("kubeconfig");

        Kubeconfig.write(file, SERVER, pki);

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temporary file left behind").containsExactly(file);
        }
        Map<String, Object> config = new YAMLMapper().readValue(file.toFile(), new TypeReference<>() {
        });
        assertThat(config).containsEntry("apiVersion", "v1").containsEntry("kind", "Config")
                .containsEntry("current-context", "skiff");
        assertThat(config.get("clusters")).isEqualTo(List.of(Map.of("name", "skiff", "cluster", Map.of(
                "server", "https://127.0.0.1:6443",
                "certificate-authority-data", base64(pki.ca().certificatePem())))));
        assertThat(config.get("users")).isEqualTo(List.of(Map.of("name", "skiff-admin", "user", Map.of(
                "client-certificate-data", base64(pki.admin().certificatePem()),
                "client-key-data", base64(pki.admin().privateKeyPem())))));
        assertThat(config.get("contexts")).isEqualTo(List.of(Map.of("name", "skiff", "context", Map.of(
                "cluster", "skiff", "user", "skiff-admin"))));
        assertThat(Files.readString(file)).doesNotStartWith("---");
    }

    @Test
    void rewritingReplacesTheFileAtomically() throws Exception {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        Kubeconfig.write(file, URI.create("https://localhost:7443"), pki);

        assertThat(Files.readString(file)).contains("server: https://localhost:7443");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void rejectsAServerThatIsNotHttps() {
        assertThatThrownBy(() -> Kubeconfig.toYaml(URI.create("http://127.0.0.1:8080"), pki))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void realKubectlReadsServerCaAndCredentials() throws Exception {
        Optional<Path> kubectl = ExternalTools.find("kubectl");
        org.junit.jupiter.api.Assertions.assertTrue(kubectl.isPresent(), "kubectl is not on the PATH");
        Path file = dir.resolve("kubeconfig");
        Kubeconfig.write(file, SERVER, pki);

        assertThat(kubectlJsonPath(kubectl.get(), file, "{.clusters[?(@.name==\"skiff\")].cluster.server}"))
                .isEqualTo("https://127.0.0.1:6443");
        assertThat(kubectlJsonPath(kubectl.get(), file,
                "{.clusters[?(@.name==\"skiff\")].cluster.certificate-authority-data}"))
                .isEqualTo(base64(pki.ca().certificatePem()));
        assertThat(kubectlJsonPath(kubectl.get(), file, "{.users[0].user.client-key-data}"))
                .isEqualTo(base64(pki.admin().privateKeyPem()));
        assertThat(kubectlJsonPath(kubectl.get(), file, "{.current-context}")).isEqualTo("skiff");

        Result context = ExternalTools.run(List.of(kubectl.get().toString(), "--kubeconfig", file.toString(),
                "config", "current-context"), 60);
        assertThat(context.exitCode()).as(context.stderr()).isZero();
        assertThat(context.stdout().trim()).isEqualTo("skiff");
    }

    private static String kubectlJsonPath(Path kubectl, Path kubeconfig, String jsonPath) throws Exception {
        Result result = ExternalTools.run(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString(),
                "config", "view", "--raw", "-o", "jsonpath=" + jsonPath), 60);
        assertThat(result.exitCode()).as("kubectl failed: %s", result.stderr()).isZero();
        return result.stdout();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
