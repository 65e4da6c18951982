package dev.skiff.bench;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The peer: fabric8's mock API server in CRUD mode, exactly as {@code @EnableKubernetesMockClient(crud = true,
 * https = true)} starts it — objects in memory, no durability, no authentication — on a free loopback port, over
 * HTTPS like Skiff's server so that both pay for TLS.
 *
 * <p>The mock is built on Vert.x; it runs here on the Vert.x 5 core the API server uses (the build excludes the
 * Vert.x 4 {@code vertx-web} the mock declares but does not use).
 */
final class MockApiServer implements AutoCloseable {

    /** The mock logs every request at INFO through java.util.logging; kept here so the setting is not collected. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;

    private MockApiServer(KubernetesMockServer server) {
        this.server = server;
    }

    static MockApiServer start() {
        MOCK_LOG.setLevel(Level.WARNING);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), true);
        server.init(InetAddress.getLoopbackAddress(), 0);
        return new MockApiServer(server);
    }

    /** A new fabric8 client with the same settings as the Skiff clients, trusting the mock's own certificate. */
    KubernetesClient newClient() {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl("https://" + server.getHostName() + ":" + server.getPort())
                .withTrustCerts(true)
                .withRequestTimeout(BenchApiServer.REQUEST_TIMEOUT_MILLIS)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    @Override
    public void close() {
        server.destroy();
    }
}
