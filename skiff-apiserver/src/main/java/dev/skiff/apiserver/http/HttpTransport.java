package dev.skiff.apiserver.http;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS server. Bodies larger than {@code maxBodyBytes} are refused with 413 before they are read whole; every
 * other request becomes an {@link Exchange} handled on its own virtual thread.
 */
public final class HttpTransport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

    /** WebSocket subprotocols of pods/exec and pods/attach (channel protocols) and pods/portforward (SPDY tunnel). */
    public static final List<String> WEBSOCKET_SUBPROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io",
            "SPDY/3.1+portforward.k8s.io");

    /**
     * TLS material in PEM.
     *
     * @param certificateChain the serving certificate (and intermediates)
     * @param privateKey       its key
     * @param clientCa         CA whose client certificates are accepted (requested, not required)
     */
    public record Tls(String certificateChain, String privateKey, String clientCa) {
    }

    /** Where and how to listen. Port 0 picks a free port. */
    public record Options(String host, int port, Tls tls, int maxBodyBytes) {
    }

    /** What the application does with a request; called on a virtual thread. */
    public interface Application {
        void handle(Exchange exchange);

        /** Answers a request refused before the application saw it (e.g. 413). */
        void refuse(Exchange exchange, int status);
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final ExecutorService workers;

    private HttpTransport(Vertx vertx, HttpServer server, ExecutorService workers) {
        this.vertx = vertx;
        this.server = server;
        this.workers = workers;
    }

    /** Starts listening; blocks until the port is bound. */
    public static HttpTransport start(Options options, Application application) {
        Objects.requireNonNull(options.tls(), "tls");
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(2,
                Runtime.getRuntime().availableProcessors())).setPreferNativeTransport(false));
        ExecutorService workers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("skiff-api-", 0).factory());
        PemKeyCertOptions keyCert = new PemKeyCertOptions()
                .addCertValue(Buffer.buffer(options.tls().certificateChain()))
                .addKeyValue(Buffer.buffer(options.tls().privateKey()));
        HttpServerOptions serverOptions = new HttpServerOptions()
                .setHost(options.host())
                .setPort(options.port())
                .setSsl(true)
                .setUseAlpn(true)
                .setKeyCertOptions(keyCert)
                .setCompressionSupported(true)
                // As kube-apiserver's response compression: only bodies over 128 KiB (big lists) are worth the CPU.
                .setCompressionContentSizeThreshold(128 * 1024)
                // and at gzip level 1 as upstream's defaultGzipContentEncodingLevel: the least CPU for a ratio close to
                // the higher levels' (Vert.x defaults to 6, several times the CPU on a 250 MiB list).
                .setCompressionLevel(1)
                .setMaxHeaderSize(64 * 1024)
                .setMaxInitialLineLength(16 * 1024)
                // The pod streams' protocols (decision 029): the server accepts the first the client offers that it
                // knows, and the kubelet, offered the same list, picks the same one.
                .setWebSocketSubProtocols(WEBSOCKET_SUBPROTOCOLS);
        if (useOpenSsl()) {
            serverOptions.setSslEngineOptions(new io.vertx.core.net.OpenSSLEngineOptions());
        }
        if (options.tls().clientCa() != null) {
            serverOptions.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(options.tls().clientCa())))
                    .setClientAuth(ClientAuth.REQUEST);
        }
        HttpServer server = vertx.createHttpServer(serverOptions);
        if (!"false".equals(System.getProperty("skiff.http.coalesceFlushes"))) {
            server.connectionHandler(FlushCoalescing::install);
        }
        server.requestHandler(request -> accept(request, options.maxBodyBytes(), application, workers));
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            workers.shutdownNow();
            throw new IllegalStateException("cannot listen on " + options.host() + ":" + options.port() + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        return new HttpTransport(vertx, server, workers);
    }

    private static void accept(HttpServerRequest request, int maxBodyBytes, Application application,
            ExecutorService workers) {
        List<X509Certificate> chain = clientChain(request);
        if (request.canUpgradeToWebSocket()) {
            // No body: the application decides (authn, authz, then upgrade or an HTTP error) on its thread.
            request.pause();
            Exchange exchange = new Exchange(request, new byte[0], chain);
            workers.execute(() -> application.handle(exchange));
            return;
        }
        String declared = request.getHeader("Content-Length");
        if (declared != null && parseLong(declared) > maxBodyBytes) {
            Exchange refused = new Exchange(request, new byte[0], chain);
            workers.execute(() -> application.refuse(refused, 413));
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = {false};
        request.handler(chunk -> {
            if (tooLarge[0]) {
                return;
            }
            if (body.length() + chunk.length() > maxBodyBytes) {
                tooLarge[0] = true;
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> LOG.debug("request {} {} failed: {}", request.method(), request.path(),
                e.toString()));
        request.endHandler(v -> {
            Exchange exchange = new Exchange(request, tooLarge[0] ? new byte[0] : body.getBytes(), chain);
            Consumer<Exchange> task = tooLarge[0] ? e -> application.refuse(e, 413) : application::handle;
            workers.execute(() -> task.accept(exchange));
        });
    }

    /**
     * Whether TLS runs on BoringSSL (netty-tcnative) rather than the JDK's engine: in the API benchmark's profile the
     * JDK engine's record encryption and decryption took a third of the event loops' time. Used when the native
     * library loads on this platform, unless {@code -Dskiff.tls.engine=jdk} asks for the JDK's.
     */
    static boolean useOpenSsl() {
        if ("jdk".equals(System.getProperty("skiff.tls.engine"))) {
            return false;
        }
        try {
            return io.vertx.core.net.OpenSSLEngineOptions.isAvailable();
        } catch (LinkageError e) {
            return false;
        }
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static List<X509Certificate> clientChain(HttpServerRequest request) {
        if (!request.isSSL()) {
            return List.of();
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : request.connection().peerCertificates()) {
                if (certificate instanceof X509Certificate x509) {
                    chain.add(x509);
                }
            }
            return chain;
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
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
            LOG.debug("closing the HTTP server: {}", e.toString());
        }
        workers.shutdownNow();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("closing Vert.x: {}", e.toString());
        }
    }
}
