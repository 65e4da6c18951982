package dev.skiff.node.kubelet;

import dev.skiff.node.runtime.InstanceRuntime;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's kubelet server: HTTPS with the node's serving certificate, serving only clients whose certificate chains
 * to the cluster CA and names an authorized user (the API server's kubelet client), as a kubelet started with
 * {@code --client-ca-file} and webhook authorization serves kube-apiserver. Each request runs on its own virtual
 * thread. Start with {@link #start}; {@link #close} stops listening and ends the open streams.
 */
public final class KubeletServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KubeletServer.class);

    private final Vertx vertx;
    private final HttpServer server;
    private final ExecutorService threads;

    private KubeletServer(Vertx vertx, HttpServer server, ExecutorService threads) {
        this.vertx = vertx;
        this.server = server;
        this.threads = threads;
    }

    /** Starts listening without a stats Summary ({@code /stats/summary} answers 404). */
    public static KubeletServer start(KubeletServing serving, PodDirectory pods, InstanceRuntime runtime,
                                      Clock clock) {
        return start(serving, pods, runtime, clock, null);
    }

    /**
     * Starts listening; blocks until the port is bound. The runtime and pods are the node agent's.
     *
     * @param stats what {@code GET /stats/summary} serves, or null for nothing
     */
    public static KubeletServer start(KubeletServing serving, PodDirectory pods, InstanceRuntime runtime,
                                      Clock clock, StatsSource stats) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(false));
        ExecutorService threads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("kubelet-stream-", 0).factory());
        List<String> protocols = new ArrayList<>(ChannelSession.PROTOCOLS);
        protocols.add(PortForwardSession.PROTOCOL);
        HttpServerOptions options = new HttpServerOptions()
                .setHost(serving.host())
                .setPort(serving.port())
                .setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions()
                        .addCertValue(Buffer.buffer(serving.certificatePem()))
                        .addKeyValue(Buffer.buffer(serving.privateKeyPem())))
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(serving.clientCaPem())))
                // Requested, not required: a request without a certificate gets the kubelet's 401, not a TLS error.
                .setClientAuth(ClientAuth.REQUEST)
                .setWebSocketSubProtocols(protocols);
        Routes routes = new Routes(serving, new ContainerLogs(pods, runtime, clock), new RemoteCommand(pods, runtime),
                pods, runtime, threads, stats);
        HttpServer server = vertx.createHttpServer(options);
        server.requestHandler(request -> {
            request.pause();
            threads.execute(() -> routes.serve(request));
        });
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            threads.shutdownNow();
            throw new IllegalStateException("the kubelet server cannot listen on " + serving.host() + ":"
                    + serving.port() + ": " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        return new KubeletServer(vertx, server, threads);
    }

    /** The bound port. */
    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("closing the kubelet server: {}", e.toString());
        }
        threads.shutdownNow();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("closing the kubelet server's Vert.x: {}", e.toString());
        }
    }

    /** Authentication, authorization and the kubelet's paths. */
    private record Routes(KubeletServing serving, ContainerLogs logs, RemoteCommand commands, PodDirectory pods,
                          InstanceRuntime runtime, ExecutorService threads, StatsSource stats) {

        void serve(HttpServerRequest request) {
            try {
                authorize(request);
                String[] parts = request.path().substring(1).split("/", -1);
                String verb = request.method().name();
                switch (parts[0]) {
                    case "healthz" -> text(request, 200, "ok");
                    case "containerLogs" -> {
                        require(parts, 4, verb.equals("GET"));
                        request.resume();
                        logs.serve(parts[1], parts[2], parts[3], request.params(), request.response());
                    }
                    case "exec", "attach" -> {
                        require(parts, 4, true);
                        commands.serve(parts[0].equals("attach"), parts[1], parts[2], parts[3], request);
                    }
                    case "stats" -> {
                        // The kubelet's Summary API: /stats/summary (JSON of stats/v1alpha1). The older cAdvisor
                        // paths under /stats are gone upstream too.
                        require(parts, 2, verb.equals("GET"));
                        if (stats == null || !parts[1].equals("summary")) {
                            throw KubeletError.notFound("404 page not found");
                        }
                        dev.skiff.node.stats.Summary summary;
                        try {
                            summary = stats.summary();
                        } catch (IllegalStateException e) {
                            throw new KubeletError(503, e.getMessage());
                        }
                        json(request, io.fabric8.kubernetes.client.utils.Serialization.asJson(summary));
                    }
                    case "portForward" -> {
                        require(parts, 3, true);
                        portForward(parts[1], parts[2], request);
                    }
                    default -> throw KubeletError.notFound("404 page not found");
                }
            } catch (KubeletError e) {
                text(request, e.code(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("kubelet request {} {} failed", request.method(), request.path(), e);
                text(request, 500, "internal error: " + e.getMessage());
            }
        }

        private void portForward(String namespace, String name, HttpServerRequest request) {
            if (!request.canUpgradeToWebSocket()) {
                throw KubeletError.badRequest("Upgrade request required");
            }
            Target target = Target.pod(pods, namespace, name);
            ServerWebSocket socket = RemoteCommand.upgrade(request);
            if (!PortForwardSession.PROTOCOL.equals(socket.subProtocol())) {
                socket.close((short) 1002, "expected the protocol " + PortForwardSession.PROTOCOL);
                return;
            }
            PortForwardSession session = new PortForwardSession(socket, target, runtime, threads);
            socket.resume();
            session.closed().join();
        }

        private static void require(String[] parts, int length, boolean methodAllowed) {
            if (parts.length != length || java.util.Arrays.stream(parts).anyMatch(String::isEmpty)) {
                throw KubeletError.notFound("404 page not found");
            }
            if (!methodAllowed) {
                throw new KubeletError(405, "405: Method Not Allowed");
            }
        }

        /**
         * The kubelet authenticates by client certificate (the TLS layer checked the chain against the cluster CA)
         * and authorizes the API server's user; without a certificate 401, others 403, with upstream's wording.
         */
        private void authorize(HttpServerRequest request) {
            List<java.security.cert.X509Certificate> chain = new ArrayList<>();
            try {
                for (var certificate : request.connection().peerCertificates()) {
                    if (certificate instanceof java.security.cert.X509Certificate x509) {
                        chain.add(x509);
                    }
                }
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                // no certificate
            }
            if (chain.isEmpty()) {
                throw new KubeletError(401, "Unauthorized");
            }
            var subject = new javax.security.auth.x500.X500Principal(
                    chain.getFirst().getSubjectX500Principal().getName()).getName("RFC2253");
            String user = "";
            boolean master = false;
            for (String rdn : subject.split(",")) {
                if (rdn.startsWith("CN=")) {
                    user = rdn.substring(3);
                } else if (rdn.equals("O=system:masters")) {
                    master = true;
                }
            }
            if (!master && !serving.authorizedUsers().contains(user)) {
                throw new KubeletError(403, "Forbidden (user=" + user + ", verb=" + request.method().name()
                        .toLowerCase(java.util.Locale.ROOT) + ", resource=nodes, subresource=proxy)");
            }
        }

        private static void json(HttpServerRequest request, String body) {
            request.resume();
            request.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(body.getBytes(StandardCharsets.UTF_8)));
        }

        private static void text(HttpServerRequest request, int status, String message) {
            var response = request.response();
            if (response.headWritten() || response.ended()) {
                return;
            }
            request.resume();
            response.setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end(Buffer.buffer(message.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
