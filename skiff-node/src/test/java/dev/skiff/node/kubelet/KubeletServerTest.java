package dev.skiff.node.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.testing.TestApiServer;
import dev.skiff.node.simulated.SimulatedRuntime;
import dev.skiff.node.simulated.SimulationProfile;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who the kubelet server serves: clients with a certificate from the cluster CA naming the API server's kubelet
 * user (or a member of {@code system:masters}); 401 without a certificate, 403 for other users, as a kubelet with
 * {@code --client-ca-file} and webhook authorization answers.
 */
class KubeletServerTest {

    @TempDir
    static Path dir;

    static TestApiServer pki;
    static ScheduledExecutorService scheduler;
    static ExecutorService notifications;
    static SimulatedRuntime runtime;
    static KubeletServer kubelet;
    static Vertx vertx;
    static List<String> serving;

    @BeforeAll
    static void start() throws Exception {
        pki = TestApiServer.start(dir);
        scheduler = Executors.newScheduledThreadPool(1);
        notifications = Executors.newVirtualThreadPerTaskExecutor();
        runtime = new SimulatedRuntime(SimulationProfile.instant(), Clock.systemUTC(), scheduler, notifications);
        serving = pki.kubeletServing("vk-authn", "127.0.0.1");
        kubelet = KubeletServer.start(new KubeletServing("127.0.0.1", 0, serving.get(0), serving.get(1),
                serving.get(2), Set.of(TestApiServer.KUBELET_CLIENT_USER)), (ns, name) -> Optional.empty(),
                runtime, Clock.systemUTC());
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (kubelet != null) {
            kubelet.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        scheduler.shutdownNow();
        notifications.shutdownNow();
        pki.close();
    }

    @Test
    void servesOnlyTheApiServersUser() throws Exception {
        assertThat(get(null, "/healthz")).isEqualTo("401 Unauthorized");
        assertThat(get(pki.clientCertificate("mallory", List.of("system:authenticated")), "/healthz"))
                .isEqualTo("403 Forbidden (user=mallory, verb=get, resource=nodes, subresource=proxy)");
        List<String> apiServer = pki.clientCertificate(TestApiServer.KUBELET_CLIENT_USER, List.of());
        assertThat(get(apiServer, "/healthz")).isEqualTo("200 ok");
        assertThat(get(apiServer, "/containerLogs/default/web/main"))
                .isEqualTo("404 pod \"web\" in namespace \"default\" does not exist");
        assertThat(get(pki.clientCertificate("admin", List.of("system:masters")), "/exec/default/web/main"))
                .isEqualTo("400 you must specify at least 1 of stdin, stdout, stderr");
    }

    /** {@code "<status> <body>"} of a GET with the given client certificate (or none). */
    private static String get(List<String> identity, String path) throws Exception {
        HttpClientOptions options = new HttpClientOptions().setSsl(true).setVerifyHost(true)
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(serving.get(2))));
        if (identity != null) {
            options.setKeyCertOptions(new PemKeyCertOptions().addCertValue(Buffer.buffer(identity.get(0)))
                    .addKeyValue(Buffer.buffer(identity.get(1))));
        }
        HttpClientAgent client = vertx.createHttpClient(options);
        try {
            return client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                            .setPort(kubelet.port()).setURI(path))
                    .compose(request -> request.send())
                    .compose(response -> response.body().map(body -> response.statusCode() + " " + body))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            client.close();
        }
    }
}
