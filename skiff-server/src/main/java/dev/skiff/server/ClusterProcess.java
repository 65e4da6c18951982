package dev.skiff.server;

import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.auth.Authenticators;
import dev.skiff.apiserver.auth.BearerTokenAuthenticator;
import dev.skiff.apiserver.auth.ClientCertificateAuthenticator;
import dev.skiff.apiserver.auth.ServiceAccountTokens;
import dev.skiff.apiserver.http.HttpTransport;
import dev.skiff.apiserver.pki.ClusterPki;
import dev.skiff.apiserver.pki.Kubeconfig;
import dev.skiff.storage.Backend;
import dev.skiff.storage.Compactor;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The composition root of a running cluster: storage, automatic compaction, PKI and kubeconfig, and the API server,
 * started in that order and stopped in reverse. One instance per process.
 */
final class ClusterProcess implements AutoCloseable {

    /** History kept for watches that resume and for paged lists (kube-apiserver compacts every 5 minutes). */
    static final Duration HISTORY_RETENTION = Duration.ofMinutes(5);

    private final Backend backend;
    private final ScheduledExecutorService maintenance;
    private final Compactor compactor;
    private final ApiServer apiServer;
    private final Path kubeconfig;

    private ClusterProcess(Backend backend, ScheduledExecutorService maintenance, Compactor compactor,
            ApiServer apiServer, Path kubeconfig) {
        this.backend = backend;
        this.maintenance = maintenance;
        this.compactor = compactor;
        this.apiServer = apiServer;
        this.kubeconfig = kubeconfig;
    }

    /** Starts everything; on failure releases what was started and rethrows. */
    static ClusterProcess start(Path dataDir, String bindAddress, int port, StorageChoice storage,
            BuildInfo build) throws IOException {
        Files.createDirectories(dataDir);
        Clock clock = Clock.systemUTC();
        ClusterPki pki = ClusterPki.loadOrCreate(dataDir.resolve("pki"), clock);
        Backend backend = storage.open(dataDir);
        ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("skiff-maintenance").daemon(true).factory());
        try {
            Compactor compactor = new Compactor(backend, clock, HISTORY_RETENTION)
                    .start(maintenance, Duration.ofMinutes(1));
            HttpTransport.Tls tls = new HttpTransport.Tls(pki.serving().certificatePem(),
                    pki.serving().privateKeyPem(), pki.caCertificatePem());
            ServiceAccountTokens tokens = ServiceAccountTokens.of(pki.serviceAccountKey(), clock);
            ApiServer apiServer = ApiServer.start(backend, new ApiServer.Config(bindAddress, port, tls,
                    Authenticators.union(List.of(new ClientCertificateAuthenticator(),
                            new BearerTokenAuthenticator(tokens))),
                    ApiServer.standardDiscovery(build.version(), build.gitCommit().orElse("")), tokens), clock);
            Path kubeconfig = dataDir.resolve("kubeconfig");
            String host = bindAddress.equals("0.0.0.0") || bindAddress.equals("::") ? "127.0.0.1" : bindAddress;
            Kubeconfig.write(kubeconfig, URI.create("https://" + hostLiteral(host) + ":" + apiServer.port()), pki);
            return new ClusterProcess(backend, maintenance, compactor, apiServer, kubeconfig);
        } catch (RuntimeException | IOException e) {
            maintenance.shutdownNow();
            backend.close();
            throw e;
        }
    }

    private static String hostLiteral(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    int port() {
        return apiServer.port();
    }

    Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public void close() {
        apiServer.close();
        compactor.close();
        maintenance.shutdownNow();
        backend.close();
    }
}
