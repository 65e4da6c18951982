package dev.skiff.apiserver.testing;

import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.auth.ClientCertificateAuthenticator;
import dev.skiff.apiserver.auth.ServiceAccountTokens;
import dev.skiff.apiserver.http.HttpTransport;
import dev.skiff.apiserver.kubelet.KubeletClientConfig;
import dev.skiff.apiserver.pki.CertifiedKey;
import dev.skiff.apiserver.pki.ClusterPki;
import java.time.Duration;
import java.util.List;
import dev.skiff.apiserver.pki.Kubeconfig;
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
 * authentication; clients are admins. Published in this module's test-jar for the API clients' tests (node agent,
 * scheduler, controllers), which use it at test scope only: they never link against the server.
 */
public final class TestApiServer implements AutoCloseable {

    /** RSA key generation costs seconds: every server in the JVM shares one PKI. */
    private static ClusterPki sharedPki;
    private static KubeletClientConfig sharedKubeletClient;

    /** The user the API server's kubelet client certificate names (what kubelets authorize). */
    public static final String KUBELET_CLIENT_USER = "kube-apiserver-kubelet-client";

    private final ClusterPki pki;
    private final EmbeddedBackend backend;
    private final ApiServer server;

    private TestApiServer(ClusterPki pki, EmbeddedBackend backend, ApiServer server) {
        this.pki = pki;
        this.backend = backend;
        this.server = server;
    }

    public static TestApiServer start(Path dir) throws Exception {
        ClusterPki pki = pki();
        EmbeddedBackend backend = EmbeddedBackend.open(dir.resolve("store"));
        try {
            HttpTransport.Tls tls = new HttpTransport.Tls(pki.serving().certificatePem(),
                    pki.serving().privateKeyPem(), pki.caCertificatePem());
            ServiceAccountTokens tokens = ServiceAccountTokens.of(pki.serviceAccountKey(), Clock.systemUTC());
            ApiServer server = ApiServer.start(backend, new ApiServer.Config("127.0.0.1", 0, tls,
                    new ClientCertificateAuthenticator(), ApiServer.standardDiscovery("test", ""), tokens)
                    .withKubeletClient(kubeletClient(pki)), Clock.systemUTC());
            return new TestApiServer(pki, backend, server);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /** The API server's kubelet client credentials (one per JVM, like the PKI). */
    private static synchronized KubeletClientConfig kubeletClient(ClusterPki pki) {
        if (sharedKubeletClient == null) {
            CertifiedKey client = pki.issueClientCertificate(KUBELET_CLIENT_USER, List.of(), Duration.ofDays(1));
            sharedKubeletClient = new KubeletClientConfig(client.certificatePem(), client.privateKeyPem(),
                    pki.caCertificatePem());
        }
        return sharedKubeletClient;
    }

    /**
     * A serving certificate for a node's kubelet server listening on {@code address}, and the cluster CA its
     * clients must chain to, as {@code [certificate, key, ca]} PEMs (the node module cannot see the PKI types).
     */
    public List<String> kubeletServing(String nodeName, String address) {
        CertifiedKey serving = pki.issueServingCertificate(nodeName, List.of(address), Duration.ofDays(1));
        return List.of(serving.certificatePem(), serving.privateKeyPem(), pki.caCertificatePem());
    }

    /** A client certificate from the cluster CA for {@code user} in {@code groups}, as {@code [certificate, key]}. */
    public List<String> clientCertificate(String user, List<String> groups) {
        CertifiedKey client = pki.issueClientCertificate(user, groups, Duration.ofDays(1));
        return List.of(client.certificatePem(), client.privateKeyPem());
    }

    private static synchronized ClusterPki pki() throws java.io.IOException {
        if (sharedPki == null) {
            Path dir = java.nio.file.Files.createTempDirectory("skiff-test-pki");
            sharedPki = ClusterPki.loadOrCreate(dir, Clock.systemUTC());
        }
        return sharedPki;
    }

    /** A new admin client (its own HTTP client); the caller closes it. */
    public KubernetesClient newClient() {
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

    /** Writes a kubeconfig for the real kubectl, with the admin's credentials inline. */
    public void writeKubeconfig(Path file) throws java.io.IOException {
        Kubeconfig.write(file, java.net.URI.create("https://127.0.0.1:" + server.port()), pki);
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
