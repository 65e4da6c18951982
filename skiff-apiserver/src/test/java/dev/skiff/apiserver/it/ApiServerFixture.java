package dev.skiff.apiserver.it;

import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.auth.Authenticators;
import dev.skiff.apiserver.auth.BearerTokenAuthenticator;
import dev.skiff.apiserver.auth.ClientCertificateAuthenticator;
import dev.skiff.apiserver.auth.ServiceAccountTokens;
import dev.skiff.apiserver.cache.WatchSettings;
import java.util.List;
import dev.skiff.apiserver.http.HttpTransport;
import dev.skiff.apiserver.pki.ClusterPki;
import dev.skiff.storage.embedded.EmbeddedBackend;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;

/** An API server on a free port over an embedded store in a directory, with its PKI; restartable. */
final class ApiServerFixture implements AutoCloseable {

    private final Path dir;
    private final ClusterPki pki;
    private final WatchSettings watch;
    private EmbeddedBackend backend;
    private ApiServer server;

    /** RSA key generation costs seconds: every fixture in the JVM shares one PKI. */
    private static ClusterPki sharedPki;

    private ApiServerFixture(Path dir, WatchSettings watch) throws Exception {
        this.dir = dir;
        this.watch = watch;
        this.pki = loadSharedPki();
        start(0);
    }

    private static synchronized ClusterPki loadSharedPki() throws java.io.IOException {
        if (sharedPki == null) {
            Path pkiDir = java.nio.file.Files.createTempDirectory("skiff-test-pki");
            sharedPki = ClusterPki.loadOrCreate(pkiDir, Clock.systemUTC());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(pkiDir)));
        }
        return sharedPki;
    }

    private static void deleteQuietly(Path root) {
        try (var paths = java.nio.file.Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // best effort: a temporary directory
        }
    }

    static ApiServerFixture start(Path dir) throws Exception {
        return new ApiServerFixture(dir, WatchSettings.DEFAULTS);
    }

    /** With its own watch settings (a short bookmark interval, for instance). */
    static ApiServerFixture start(Path dir, WatchSettings watch) throws Exception {
        return new ApiServerFixture(dir, watch);
    }

    private void start(int port) {
        backend = EmbeddedBackend.open(dir.resolve("store"));
        HttpTransport.Tls tls = new HttpTransport.Tls(pki.serving().certificatePem(),
                pki.serving().privateKeyPem(), pki.caCertificatePem());
        ServiceAccountTokens tokens = ServiceAccountTokens.of(pki.serviceAccountKey(), Clock.systemUTC());
        server = ApiServer.start(backend, new ApiServer.Config("127.0.0.1", port, tls,
                Authenticators.union(List.of(new ClientCertificateAuthenticator(),
                        new BearerTokenAuthenticator(tokens))),
                ApiServer.standardDiscovery("test", ""), tokens, watch, dev.skiff.apiserver.service.ServiceNetwork.DEFAULT),
                Clock.systemUTC());
    }

    /** Stops and starts again on the same port and data, as a process restart would. */
    void restart() {
        int port = server.port();
        stop();
        start(port);
    }

    int port() {
        return server.port();
    }

    ClusterPki pki() {
        return pki;
    }

    EmbeddedBackend backend() {
        return backend;
    }

    String url() {
        return "https://127.0.0.1:" + server.port();
    }

    /** A fabric8 client authenticated as the admin (client certificate, system:masters). */
    KubernetesClient adminClient() {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withCaCertData(base64(pki.caCertificatePem()))
                .withClientCertData(base64(pki.admin().certificatePem()))
                .withClientKeyData(base64(pki.admin().privateKeyPem()))
                .withRequestTimeout(30_000)
                .withRequestRetryBackoffLimit(0)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    private void stop() {
        if (server != null) {
            server.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
