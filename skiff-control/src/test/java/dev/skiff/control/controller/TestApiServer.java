package dev.skiff.control.controller;

import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.auth.ClientCertificateAuthenticator;
import dev.skiff.apiserver.auth.ServiceAccountTokens;
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

/**
 * Skiff's real API server in this process over an embedded store, on a free loopback port, with client-certificate
 * authentication; clients are admins. Test scope only: the controllers never link against the server.
 */
final class TestApiServer implements AutoCloseable {

    /** RSA key generation costs seconds: every server in the JVM shares one PKI. */
    private static ClusterPki sharedPki;

    private final ClusterPki pki;
    private final EmbeddedBackend backend;
    private final ApiServer server;

    private TestApiServer(ClusterPki pki, EmbeddedBackend backend, ApiServer server) {
        this.pki = pki;
        this.backend = backend;
        this.server = server;
    }

    static TestApiServer start(Path dir) throws Exception {
        ClusterPki pki = pki();
        EmbeddedBackend backend = EmbeddedBackend.open(dir.resolve("store"));
        try {
            HttpTransport.Tls tls = new HttpTransport.Tls(pki.serving().certificatePem(),
                    pki.serving().privateKeyPem(), pki.caCertificatePem());
            ServiceAccountTokens tokens = ServiceAccountTokens.of(pki.serviceAccountKey(), Clock.systemUTC());
            ApiServer server = ApiServer.start(backend, new ApiServer.Config("127.0.0.1", 0, tls,
                    new ClientCertificateAuthenticator(), ApiServer.standardDiscovery("test", ""), tokens),
                    Clock.systemUTC());
            return new TestApiServer(pki, backend, server);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    private static synchronized ClusterPki pki() throws java.io.IOException {
        if (sharedPki == null) {
            Path dir = java.nio.file.Files.createTempDirectory("skiff-control-test-pki");
            sharedPki = ClusterPki.loadOrCreate(dir, Clock.systemUTC());
        }
        return sharedPki;
    }

    KubernetesClient newClient() {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl("https://127.0.0.1:" + server.port())
                .withCaCertData(base64(pki.caCertificatePem()))
                .withClientCertData(base64(pki.admin().certificatePem()))
                .withClientKeyData(base64(pki.admin().privateKeyPem()))
                .withRequestTimeout(30_000)
                .withRequestRetryBackoffLimit(0)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** A kubeconfig for the real kubectl, with the admin's credentials inline. */
    String kubeconfig() {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster:
                    server: https://127.0.0.1:%d
                    certificate-authority-data: %s
                users:
                - name: admin
                  user:
                    client-certificate-data: %s
                    client-key-data: %s
                contexts:
                - name: test
                  context:
                    cluster: test
                    user: admin
                current-context: test
                """.formatted(server.port(), base64(pki.caCertificatePem()), base64(pki.admin().certificatePem()),
                base64(pki.admin().privateKeyPem()));
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            backend.close();
        }
    }
}
