package dev.skiff.bench;

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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;

/**
 * Skiff's API server in this process, as {@code skiff up} runs it: HTTPS on a free loopback port with a fresh
 * {@link ClusterPki}, client-certificate authentication and RBAC, over an embedded store. Clients authenticate as the
 * cluster admin with its certificate.
 */
final class BenchApiServer implements AutoCloseable {

    /** Long enough for an unpaged list of 50,000 pods on a busy machine. */
    static final int REQUEST_TIMEOUT_MILLIS = 120_000;

    private final ClusterPki pki;
    private final EmbeddedBackend backend;
    private final ApiServer server;

    private BenchApiServer(ClusterPki pki, EmbeddedBackend backend, ApiServer server) {
        this.pki = pki;
        this.backend = backend;
        this.server = server;
    }

    /** Creates the PKI in {@code dir}/pki and the store in {@code dir}/store, and starts serving. */
    static BenchApiServer start(Path dir) throws IOException {
        ClusterPki pki = ClusterPki.loadOrCreate(dir.resolve("pki"), Clock.systemUTC());
        EmbeddedBackend backend = EmbeddedBackend.open(dir.resolve("store"));
        try {
            HttpTransport.Tls tls = new HttpTransport.Tls(pki.serving().certificatePem(),
                    pki.serving().privateKeyPem(), pki.caCertificatePem());
            ServiceAccountTokens tokens = ServiceAccountTokens.of(pki.serviceAccountKey(), Clock.systemUTC());
            ApiServer server = ApiServer.start(backend, new ApiServer.Config("127.0.0.1", 0, tls,
                    new ClientCertificateAuthenticator(), ApiServer.standardDiscovery("bench", ""), tokens),
                    Clock.systemUTC());
            return new BenchApiServer(pki, backend, server);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    String url() {
        return "https://127.0.0.1:" + server.port();
    }

    /**
     * A new fabric8 client (its own JDK HTTP client, hence its own HTTP/2 connection) authenticated as the
     * admin.
     */
    KubernetesClient newClient() {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withCaCertData(base64(pki.caCertificatePem()))
                .withClientCertData(base64(pki.admin().certificatePem()))
                .withClientKeyData(base64(pki.admin().privateKeyPem()))
                .withRequestTimeout(REQUEST_TIMEOUT_MILLIS)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /**
     * A TLS context for plain JDK HTTP clients: trusts the cluster CA and presents the admin certificate when the
     * server asks for a client certificate of that CA.
     */
    javax.net.ssl.SSLContext sslContext() throws java.security.GeneralSecurityException, IOException {
        char[] password = "unused".toCharArray();
        java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("admin", pki.admin().privateKey(), password,
                new java.security.cert.Certificate[] {pki.admin().certificate()});
        javax.net.ssl.KeyManagerFactory keyManagers = javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", pki.ca().certificate());
        javax.net.ssl.TrustManagerFactory trustManagers = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
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
