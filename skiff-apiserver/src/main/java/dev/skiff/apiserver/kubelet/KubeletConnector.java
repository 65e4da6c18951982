package dev.skiff.apiserver.kubelet;

import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.status.Status;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server's client of kubelets: HTTPS with the kubelet client certificate, verifying the kubelet's serving
 * certificate against the cluster CA and the dialled address. Serves the calling (virtual) thread: {@link #streamLogs}
 * and {@link #relay} block until the stream ends. Thread-safe. Owns a small Vert.x instance of its own.
 */
public final class KubeletConnector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KubeletConnector.class);
    /** How long a kubelet may take to answer before the request fails (kube-apiserver's dial timeout is 30 s). */
    private static final long CONNECT_SECONDS = 30;
    /** How long a log client may leave its window full before the stream is given up. */
    private static final long WRITE_WAIT_MILLIS = 120_000;

    private final KubeletClientConfig config;
    private final Vertx vertx;
    private final HttpClientAgent http;
    private final WebSocketClient webSockets;

    public KubeletConnector(KubeletClientConfig config) {
        this.config = config;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setPreferNativeTransport(false));
        PemKeyCertOptions identity = new PemKeyCertOptions()
                .addCertValue(Buffer.buffer(config.certificatePem()))
                .addKeyValue(Buffer.buffer(config.privateKeyPem()));
        PemTrustOptions trust = new PemTrustOptions().addCertValue(Buffer.buffer(config.caPem()));
        this.http = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(true)
                .setKeyCertOptions(identity).setTrustOptions(trust)
                .setConnectTimeout((int) TimeUnit.SECONDS.toMillis(CONNECT_SECONDS)));
        this.webSockets = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true).setVerifyHost(true)
                .setKeyCertOptions(identity).setTrustOptions(trust)
                .setConnectTimeout((int) TimeUnit.SECONDS.toMillis(CONNECT_SECONDS)));
    }

    public KubeletClientConfig config() {
        return config;
    }

    /**
     * Streams {@code GET pathAndQuery} from the kubelet to the client as a chunked {@code text/plain} body, flushing
     * as lines arrive (a follow stays open until the container stops or either side goes away). A kubelet error
     * becomes a Status with its code and its text as message, as kube-apiserver's response checker reports it.
     */
    public void streamLogs(Exchange exchange, KubeletLocation location, String pathAndQuery) {
        KubeletReply reply = get(location, pathAndQuery);
        if (reply.response().statusCode() != 200) {
            String text = reply.drain(CONNECT_SECONDS, TimeUnit.SECONDS).toString(StandardCharsets.UTF_8);
            throw kubeletError(reply.response().statusCode(), text);
        }
        pipe(exchange, reply, 200, "text/plain");
    }

    /**
     * Proxies {@code GET pathAndQuery} to the kubelet as kube-apiserver's node proxy does
     * ({@code /api/v1/nodes/NAME/proxy/...}, e.g. {@code stats/summary}): the kubelet's status, content type and
     * body reach the client unchanged, streamed as they arrive.
     */
    public void proxyGet(Exchange exchange, KubeletLocation location, String pathAndQuery) {
        KubeletReply reply = get(location, pathAndQuery);
        String type = reply.response().getHeader("Content-Type");
        pipe(exchange, reply, reply.response().statusCode(), type == null ? "text/plain" : type);
    }

    private KubeletReply get(KubeletLocation location, String pathAndQuery) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(location.host())
                .setPort(location.port()).setURI(pathAndQuery);
        // The reply's handlers go in on the event loop in the same task that delivers the response head: a short body
        // (and its end) can arrive before this thread looks at the response, and Vert.x refuses handlers on a
        // response that has already ended.
        return await(http.request(options).compose(request -> request.send().map(KubeletReply::receive)), location);
    }

    /** Copies a kubelet reply to the client chunk by chunk, at the client's pace, until either side ends. */
    private static void pipe(Exchange exchange, KubeletReply reply, int status, String contentType) {
        HttpClientResponse response = reply.response();
        Exchange.Stream stream = exchange.stream(status, contentType);
        // The client leaving ends the kubelet's stream too (which closes the container's log reader there).
        stream.closed().thenRun(() -> response.request().reset());
        try {
            while (true) {
                Buffer chunk = reply.next();
                if (chunk == null || !stream.write(chunk.getBytes(), WRITE_WAIT_MILLIS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            response.request().reset();
            stream.end();
        }
    }

    /**
     * Opens the kubelet's side of an upgraded stream with the client's offered subprotocols, then accepts the
     * client's upgrade and relays frames until either side closes. A kubelet that refuses (404 container not found,
     * 400 ...) is reported to the client as a Status before its upgrade, so kubectl prints the kubelet's reason.
     */
    public void relay(Exchange exchange, KubeletLocation location, String pathAndQuery, List<String> protocols) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(location.host())
                .setPort(location.port()).setURI(pathAndQuery).setSsl(true).setSubProtocols(protocols);
        WebSocket kubelet = await(webSockets.connect(options).onSuccess(WebSocket::pause), location);
        ServerWebSocket client;
        try {
            client = exchange.upgradeToWebSocket();
        } catch (RuntimeException e) {
            kubelet.close();
            throw e;
        }
        WebSocketRelay.relay(client, kubelet).join();
    }

    private static <T> T await(io.vertx.core.Future<T> future, KubeletLocation location) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(CONNECT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.internal("interrupted while waiting for the kubelet");
        } catch (TimeoutException e) {
            throw kubeletUnreachable(location, "timed out");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UpgradeRejectedException rejected) {
                throw kubeletError(rejected.getStatus(), rejected.getBody() == null ? ""
                        : rejected.getBody().toString(StandardCharsets.UTF_8));
            }
            throw kubeletUnreachable(location, String.valueOf(cause == null ? e : cause.getMessage()));
        }
    }

    /** A kubelet's refusal, as kube-apiserver's generic server response: its code, its reason word, its text. */
    static ApiException kubeletError(int code, String text) {
        String reason = switch (code) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            default -> "InternalError";
        };
        String message = text.strip();
        return new ApiException(new Status("Failure", message.isEmpty() ? "the kubelet answered " + code : message,
                reason, null, code >= 400 && code < 600 ? code : 500));
    }

    /** 500 as kube-apiserver's proxy reports a dial failure ({@code error dialing backend}). */
    private static ApiException kubeletUnreachable(KubeletLocation location, String why) {
        LOG.debug("kubelet at {} unreachable: {}", location.authority(), why);
        return ApiException.internal("error dialing backend: dial tcp " + location.authority() + ": " + why);
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("closing the kubelet client's Vert.x: {}", e.toString());
        }
    }
}
