package dev.skiff.server;

import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.admission.PodSelectors;
import dev.skiff.apiserver.auth.Authenticators;
import dev.skiff.apiserver.auth.BearerTokenAuthenticator;
import dev.skiff.apiserver.auth.ClientCertificateAuthenticator;
import dev.skiff.apiserver.auth.ServiceAccountTokens;
import dev.skiff.apiserver.http.HttpTransport;
import dev.skiff.apiserver.kubelet.KubeletClientConfig;
import dev.skiff.apiserver.pki.CertifiedKey;
import dev.skiff.apiserver.pki.ClusterPki;
import dev.skiff.node.kubelet.KubeletServing;
import dev.skiff.apiserver.pki.Kubeconfig;
import dev.skiff.server.cri.CriNodes;
import dev.skiff.server.nodeless.NodelessCluster;
import dev.skiff.server.nodeless.RuntimeFactory;
import dev.skiff.storage.Backend;
import dev.skiff.storage.Compactor;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The composition root of a running cluster: storage, automatic compaction, PKI and kubeconfig, the API server and,
 * with a runtime, the nodeless part (virtual nodes and the scheduler, as API clients of the in-process server),
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
    private final KubernetesClient client;
    private final NodelessCluster nodeless;
    private final CriNodes sandboxes;

    private ClusterProcess(Backend backend, ScheduledExecutorService maintenance, Compactor compactor,
            ApiServer apiServer, Path kubeconfig, KubernetesClient client, NodelessCluster nodeless,
            CriNodes sandboxes) {
        this.sandboxes = sandboxes;
        this.backend = backend;
        this.maintenance = maintenance;
        this.compactor = compactor;
        this.apiServer = apiServer;
        this.kubeconfig = kubeconfig;
        this.client = client;
        this.nodeless = nodeless;
    }

    /** Starts the API server only (no runtime: pods stay Pending). */
    static ClusterProcess start(Path dataDir, String bindAddress, int port, StorageChoice storage,
            BuildInfo build) throws IOException {
        return start(dataDir, bindAddress, port, storage, RuntimeChoice.NONE, build);
    }

    /** Starts everything; on failure releases what was started and rethrows. */
    static ClusterProcess start(Path dataDir, String bindAddress, int port, StorageChoice storage,
            RuntimeChoice runtime, BuildInfo build) throws IOException {
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
            // The ECI Profile's pod selectors: the nodeless part follows the profile and feeds them to admission.
            PodSelectors.Live selectors = PodSelectors.live();
            ApiServer.Config config = new ApiServer.Config(bindAddress, port, tls,
                    Authenticators.union(List.of(new ClientCertificateAuthenticator(),
                            new BearerTokenAuthenticator(tokens))),
                    ApiServer.standardDiscovery(build.version(), build.gitCommit().orElse("")), tokens)
                    .withPodSelectors(selectors);
            // The garbage collector runs with the controllers: without them, propagation finalizers would stay.
            if (runtime != RuntimeChoice.NONE) {
                // The API server's kubelet client (kube-apiserver's --kubelet-client-certificate), minted per start:
                // the virtual nodes' kubelets live and die with this process (decision 029).
                CertifiedKey kubeletClient = pki.issueClientCertificate(KubeletServing.API_SERVER_USER, List.of(),
                        ClusterPki.LEAF_VALIDITY);
                config = config.withKubeletClient(new KubeletClientConfig(kubeletClient.certificatePem(),
                        kubeletClient.privateKeyPem(), pki.caCertificatePem()));
            }
            ApiServer apiServer = ApiServer.start(backend,
                    runtime == RuntimeChoice.NONE ? config.withoutGarbageCollection() : config, clock);
            Path kubeconfig = dataDir.resolve("kubeconfig");
            String host = bindAddress.equals("0.0.0.0") || bindAddress.equals("::") ? "127.0.0.1" : bindAddress;
            Kubeconfig.write(kubeconfig, URI.create("https://" + hostLiteral(host) + ":" + apiServer.port()), pki);
            if (runtime == RuntimeChoice.NONE) {
                return new ClusterProcess(backend, maintenance, compactor, apiServer, kubeconfig, null, null, null);
            }
            KubernetesClient client = adminClient(pki, host, apiServer.port());
            CriNodes sandboxes = null;
            try {
                RuntimeFactory runtimes = RuntimeFactory.simulated();
                if (runtime == RuntimeChoice.CRI) {
                    sandboxes = CriNodes.start(dataDir);
                    runtimes = sandboxes.runtimes();
                }
                // The CA that signed the serving certificate is what pods need to trust the API server.
                NodelessCluster nodeless = NodelessCluster.start(client, clock, pki.caCertificatePem(), selectors,
                        runtimes, (nodeName, address) -> {
                            CertifiedKey serving = pki.issueServingCertificate(nodeName, List.of(address),
                                    ClusterPki.LEAF_VALIDITY);
                            return new KubeletServing(address, 0, serving.certificatePem(), serving.privateKeyPem(),
                                    pki.caCertificatePem(), null);
                        });
                return new ClusterProcess(backend, maintenance, compactor, apiServer, kubeconfig, client, nodeless,
                        sandboxes);
            } catch (RuntimeException e) {
                if (sandboxes != null) {
                    sandboxes.close();
                }
                client.close();
                apiServer.close();
                compactor.close();
                throw e;
            }
        } catch (RuntimeException | IOException e) {
            maintenance.shutdownNow();
            backend.close();
            throw e;
        }
    }

    /**
     * The in-process components' client: over loopback TLS like any other client, authenticated as admin with the
     * PKI's client certificate (they are the control plane, as kube-scheduler and kubelets are upstream).
     */
    private static KubernetesClient adminClient(ClusterPki pki, String host, int port) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl("https://" + hostLiteral(host) + ":" + port)
                .withCaCertData(base64(pki.caCertificatePem()))
                .withClientCertData(base64(pki.admin().certificatePem()))
                .withClientKeyData(base64(pki.admin().privateKeyPem()))
                .withRequestTimeout(30_000)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
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

    /** Lets the cri runtime pull from {@code hostPort} over plain HTTP (a loopback registry); no-op on others. */
    void allowPlainHttpPulls(String hostPort) {
        if (sandboxes != null) {
            sandboxes.allowPlainHttp(hostPort);
        }
    }

    /** The virtual nodes started, or none without a runtime. */
    List<String> nodeNames() {
        return nodeless == null ? List.of() : nodeless.nodeNames();
    }

    /** The containerd sandboxes of a {@code cri} cluster, or empty with another runtime. */
    java.util.Optional<CriNodes> sandboxes() {
        return java.util.Optional.ofNullable(sandboxes);
    }

    @Override
    public void close() {
        if (nodeless != null) {
            nodeless.close();
        }
        // After the nodes: their runtimes are closed, so containerd's sandboxes can be removed and it stopped.
        if (sandboxes != null) {
            sandboxes.close();
        }
        if (client != null) {
            client.close();
        }
        apiServer.close();
        compactor.close();
        maintenance.shutdownNow();
        backend.close();
    }
}
