package dev.skiff.apiserver.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.skiff.apiserver.ExternalTools;
import dev.skiff.apiserver.ExternalTools.Result;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * The material in real TLS handshakes: a Vert.x HTTPS server with the serving certificate that requests (but does not
 * require) client certificates and answers with the identity {@link ClusterPki#verifyClient} reads from them; clients
 * are the JDK's HttpClient and, where installed, curl (OpenSSL), Python's ssl module and kubectl (Go).
 */
class MutualTlsTest {

    @TempDir
    static Path pkiDir;

    private static ClusterPki pki;

    private Vertx vertx;
    private int port;

    @BeforeAll
    static void createPki() throws IOException {
        // The TLS stacks check validity against the real time.
        pki = ClusterPki.loadOrCreate(pkiDir, Clock.systemUTC());
    }

    @BeforeEach
    void startServer() throws Exception {
        vertx = Vertx.vertx();
        HttpServerOptions options = new HttpServerOptions()
                .setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions()
                        .addCertValue(Buffer.buffer(pki.serving().certificatePem()))
                        .addKeyValue(Buffer.buffer(pki.serving().privateKeyPem())))
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(pki.caCertificatePem())))
                .setClientAuth(ClientAuth.REQUEST);
        HttpServer server = await(vertx.createHttpServer(options).requestHandler(MutualTlsTest::whoAmI)
                .listen(0, "127.0.0.1"));
        port = server.actualPort();
    }

    @AfterEach
    void stopServer() throws Exception {
        if (vertx != null) {
            await(vertx.close());
        }
    }

    @Test
    void jdkClientWithTheAdminCertificateIsSeenAsAdmin() throws Exception {
        HttpResponse<String> response = get(clientContext(pki.admin()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("user=skiff-admin groups=system:masters");
        assertThat(response.sslSession()).hasValueSatisfying(session -> {
            try {
                X509Certificate serverCertificate = (X509Certificate) session.getPeerCertificates()[0];
                assertThat(serverCertificate).isEqualTo(pki.serving().certificate());
            } catch (SSLPeerUnverifiedException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void clientCertificateIsRequestedNotRequired() throws Exception {
        HttpResponse<String> response = get(clientContext(null));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("anonymous");
    }

    @Test
    void otherIssuedIdentitiesAreSeenAsThemselves() throws Exception {
        CertifiedKey node = pki.issueClientCertificate("system:node:vn-1", List.of("system:nodes"),
                Duration.ofHours(1));

        HttpResponse<String> response = get(clientContext(node));

        assertThat(response.body()).isEqualTo("user=system:node:vn-1 groups=system:nodes");
    }

    @Test
    void certificateFromAnotherCaIsNotAccepted(@TempDir Path otherDir) throws Exception {
        ClusterPki other = ClusterPki.loadOrCreate(otherDir, Clock.systemUTC());

        // The server names the cluster CA as the acceptable issuer, so the JDK's key manager offers nothing.
        HttpResponse<String> offeredNothing = get(clientContext(other.admin()));
        assertThat(offeredNothing.statusCode()).isEqualTo(401);
        assertThat(offeredNothing.body()).isEqualTo("anonymous");

        // A client that sends it anyway fails the handshake, as with kube-apiserver ("verify if given").
        SSLContext insisting = sslContext(other.admin(), pki.ca().certificate(), true);
        assertThatThrownBy(() -> get(insisting))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("certificate_unknown");
    }

    @Test
    void jdkClientRejectsAServerItDoesNotTrust(@TempDir Path otherDir) throws Exception {
        ClusterPki other = ClusterPki.loadOrCreate(otherDir, Clock.systemUTC());
        SSLContext trustsOtherCa = sslContext(pki.admin(), other.ca().certificate());

        assertThatThrownBy(() -> get(trustsOtherCa)).isInstanceOf(IOException.class);
    }

    @Test
    void curlWithCaCertAndKeyFilesIsSeenAsAdmin() throws Exception {
        Optional<Path> curl = ExternalTools.find("curl");
        org.junit.jupiter.api.Assertions.assertTrue(curl.isPresent(), "curl is not on the PATH");

        Result byAddress = ExternalTools.run(List.of(curl.get().toString(), "--silent", "--show-error",
                "--max-time", "30",
                "--cacert", pkiDir.resolve("ca.crt").toString(),
                "--cert", pkiDir.resolve("admin.crt").toString(),
                "--key", pkiDir.resolve("admin.key").toString(),
                "https://127.0.0.1:" + port + "/"), 60);
        assertThat(byAddress.exitCode()).as(byAddress.stderr()).isZero();
        assertThat(byAddress.stdout()).isEqualTo("user=skiff-admin groups=system:masters");

        // The in-cluster name of the kubernetes Service verifies too (OpenSSL checks the DNS SAN).
        String host = "kubernetes.default.svc.cluster.local";
        Result byServiceName = ExternalTools.run(List.of(curl.get().toString(), "--silent", "--show-error",
                "--max-time", "30",
                "--resolve", host + ":" + port + ":127.0.0.1",
                "--cacert", pkiDir.resolve("ca.crt").toString(),
                "--cert", pkiDir.resolve("admin.crt").toString(),
                "--key", pkiDir.resolve("admin.key").toString(),
                "https://" + host + ":" + port + "/"), 60);
        assertThat(byServiceName.exitCode()).as(byServiceName.stderr()).isZero();
        assertThat(byServiceName.stdout()).isEqualTo("user=skiff-admin groups=system:masters");
    }

    @Test
    void pythonSslWithTheSameFilesIsSeenAsAdmin() throws Exception {
        Optional<Path> python = ExternalTools.find("python3");
        org.junit.jupiter.api.Assertions.assertTrue(python.isPresent(), "python3 is not on the PATH");
        String script = String.join("\n",
                "import ssl, sys, urllib.request",
                "ctx = ssl.create_default_context(cafile=sys.argv[1])",
                "ctx.load_cert_chain(sys.argv[2], sys.argv[3])",
                "print(urllib.request.urlopen(sys.argv[4], context=ctx, timeout=30).read().decode(), end='')");

        Result result = ExternalTools.run(List.of(python.get().toString(), "-c", script,
                pkiDir.resolve("ca.crt").toString(), pkiDir.resolve("admin.crt").toString(),
                pkiDir.resolve("admin.key").toString(), "https://127.0.0.1:" + port + "/"), 60);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("user=skiff-admin groups=system:masters");
    }

    @Test
    void kubectlWithTheKubeconfigIsSeenAsAdmin(@TempDir Path dir) throws Exception {
        Optional<Path> kubectl = ExternalTools.find("kubectl");
        org.junit.jupiter.api.Assertions.assertTrue(kubectl.isPresent(), "kubectl is not on the PATH");
        Path kubeconfig = dir.resolve("kubeconfig");
        Kubeconfig.write(kubeconfig, URI.create("https://127.0.0.1:" + port), pki);

        Result result = ExternalTools.run(List.of(kubectl.get().toString(), "--kubeconfig", kubeconfig.toString(),
                "--request-timeout", "30s", "get", "--raw", "/whoami"), 60);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout().trim()).isEqualTo("user=skiff-admin groups=system:masters");
    }

    /** Answers with the identity of the client certificate, 401 without one. */
    private static void whoAmI(HttpServerRequest request) {
        int status;
        String body;
        try {
            List<Certificate> chain = request.connection().peerCertificates();
            ClientIdentity identity = pki.verifyClient(chain);
            status = 200;
            body = "user=" + identity.user() + " groups=" + String.join(",", identity.groups());
        } catch (SSLPeerUnverifiedException e) {
            status = 401;
            body = "anonymous";
        } catch (CertificateException e) {
            status = 401;
            body = "rejected: " + e.getMessage();
        }
        request.response().setStatusCode(status).putHeader("content-type", "text/plain").end(body);
    }

    private HttpResponse<String> get(SSLContext context) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder()
                .sslContext(context)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30))
                .build()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(30))
                    .build();
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** An SSLContext that trusts the cluster CA and, unless {@code client} is null, presents {@code client}. */
    private static SSLContext clientContext(CertifiedKey client) throws Exception {
        return sslContext(client, pki.ca().certificate());
    }

    private static SSLContext sslContext(CertifiedKey client, X509Certificate trusted) throws Exception {
        return sslContext(client, trusted, false);
    }

    /**
     * An SSLContext that trusts {@code trusted} and presents {@code client} (if not null): only when the server asks
     * for certificates of its issuer, or ({@code presentRegardless}) always.
     */
    private static SSLContext sslContext(CertifiedKey client, X509Certificate trusted, boolean presentRegardless)
            throws Exception {
        char[] password = "unused".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (client != null) {
            keys.setKeyEntry("client", client.privateKey(), password, new Certificate[] {client.certificate()});
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", trusted);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);

        SSLContext context = SSLContext.getInstance("TLS");
        KeyManager[] km = keyManagers.getKeyManagers();
        if (presentRegardless) {
            km = new KeyManager[] {new AlwaysPresent((X509ExtendedKeyManager) km[0])};
        }
        context.init(km, trustManagers.getTrustManagers(), null);
        return context;
    }

    /** A client key manager that offers its one certificate whichever issuers the server asks for. */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {

        private final X509ExtendedKeyManager keys;

        AlwaysPresent(X509ExtendedKeyManager keys) {
            this.keys = keys;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"client"};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "client";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "client";
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
