package dev.skiff.node.agent.probe;

import dev.skiff.node.runtime.ExecIo;
import dev.skiff.node.runtime.ExecRequest;
import dev.skiff.node.runtime.ExecResult;
import dev.skiff.node.runtime.InstanceRuntime;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.GRPCAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Runs one probe or lifecycle handler action, as the kubelet's probers do ({@code pkg/probe/{exec,http,tcp,grpc}}):
 * <ul>
 *   <li>exec through {@link InstanceRuntime#exec}: exit code 0 passes; the runtime answering "unsupported" (the
 *       simulated runtime runs no processes) passes too, since nothing there can be unhealthy;</li>
 *   <li>httpGet: a status from 200 to 399 passes; the host defaults to the pod IP; HTTPS skips certificate checks
 *       as upstream's prober does; the user agent is {@code kube-probe/1.32};</li>
 *   <li>tcpSocket: a connection that opens passes;</li>
 *   <li>grpc: {@code grpc.health.v1.Health/Check} answering SERVING passes ({@link GrpcHealthCheck}).</li>
 * </ul>
 * Every action is bounded by the timeout. Blocking; thread-safe; callers run it on virtual threads.
 */
public final class Handlers {

    private final InstanceRuntime runtime;
    private final HttpClient http;
    private final HttpClient https;

    public Handlers(InstanceRuntime runtime) {
        this.runtime = runtime;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.https = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10)).sslContext(trustAll()).build();
    }

    /** Runs whichever action is set. */
    public Outcome run(ExecAction exec, HTTPGetAction httpGet, TCPSocketAction tcp, GRPCAction grpc, Target target,
                       Duration timeout) {
        try {
            if (exec != null) {
                return exec(exec, target, timeout);
            }
            if (httpGet != null) {
                return httpGet(httpGet, target, timeout);
            }
            if (tcp != null) {
                return tcp(target.host(tcp.getHost()), target.port(tcp.getPort()), timeout);
            }
            if (grpc != null) {
                String host = target.host(null);
                if (host == null) {
                    return Outcome.failure("the pod has no address yet");
                }
                return GrpcHealthCheck.check(host, grpc.getPort(), grpc.getService(), timeout);
            }
        } catch (IllegalArgumentException e) {
            return Outcome.failure(e.getMessage());
        }
        return Outcome.failure("no handler specified");
    }

    /** Runs a lifecycle hook's handler (exec, httpGet, tcpSocket or sleep) within {@code timeout}. */
    public Outcome hook(LifecycleHandler hook, Target target, Duration timeout) {
        if (hook.getSleep() != null) {
            long seconds = hook.getSleep().getSeconds() == null ? 0 : hook.getSleep().getSeconds();
            try {
                Thread.sleep(Math.min(seconds * 1000, timeout.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Outcome.success("");
        }
        return run(hook.getExec(), hook.getHttpGet(), hook.getTcpSocket(), null, target, timeout);
    }

    private Outcome exec(ExecAction exec, Target target, Duration timeout) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            ExecResult result = runtime.exec(target.instance(), target.container().getName(),
                            new ExecRequest(exec.getCommand(), false, false), new ExecIo(null, output, output))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String text = output.toString(StandardCharsets.UTF_8).trim();
            return switch (result) {
                case ExecResult.Exited e when e.exitCode() == 0 -> Outcome.success(text);
                case ExecResult.Exited e -> Outcome.failure(text.isEmpty()
                        ? "command " + exec.getCommand() + " exited with " + e.exitCode() : text);
                case ExecResult.Unsupported u -> Outcome.success(u.reason());
            };
        } catch (TimeoutException e) {
            return Outcome.failure("command timed out after " + timeout.toSeconds() + "s");
        } catch (ExecutionException e) {
            return Outcome.failure("exec failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failure("interrupted");
        } catch (RuntimeException e) {
            return Outcome.failure("exec failed: " + e.getMessage());
        }
    }

    private Outcome httpGet(HTTPGetAction get, Target target, Duration timeout) {
        String scheme = get.getScheme() == null ? "http" : get.getScheme().toLowerCase();
        String host = target.host(get.getHost());
        if (host == null) {
            return Outcome.failure("the pod has no address yet");
        }
        String path = get.getPath() == null || get.getPath().isEmpty() ? "/" : get.getPath();
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        String hostPart = host.contains(":") ? "[" + host + "]" : host;
        URI uri = URI.create(scheme + "://" + hostPart + ":" + target.port(get.getPort()) + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
                .header("User-Agent", "kube-probe/1.32").header("Accept", "*/*");
        if (get.getHttpHeaders() != null) {
            for (HTTPHeader h : get.getHttpHeaders()) {
                if (h.getName().equalsIgnoreCase("host")) {
                    continue; // the JDK client derives Host from the URI and refuses to set it
                }
                request.setHeader(h.getName(), h.getValue());
            }
        }
        try {
            HttpResponse<byte[]> response = (scheme.equals("https") ? https : http)
                    .send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            int code = response.statusCode();
            String body = new String(response.body(), 0, Math.min(response.body().length, 10 * 1024),
                    StandardCharsets.UTF_8);
            if (code >= 200 && code < 400) {
                return Outcome.success(body);
            }
            return Outcome.failure("HTTP probe failed with statuscode: " + code);
        } catch (java.net.http.HttpTimeoutException e) {
            return Outcome.failure("Get \"" + uri + "\": context deadline exceeded (Client.Timeout exceeded while "
                    + "awaiting headers)");
        } catch (IOException e) {
            return Outcome.failure("Get \"" + uri + "\": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failure("interrupted");
        }
    }

    private static Outcome tcp(String host, int port, Duration timeout) {
        if (host == null) {
            return Outcome.failure("the pod has no address yet");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return Outcome.success("");
        } catch (IOException e) {
            return Outcome.failure("dial tcp " + host + ":" + port + ": " + e.getMessage());
        }
    }

    /**
     * Upstream's HTTPS probes use InsecureSkipVerify: a probe checks liveness, not identity. An extended trust
     * manager that accepts everything also skips the JDK's host name check (a plain one would be wrapped with it),
     * so probing a pod by its IP works whatever names its certificate carries.
     */
    private static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509ExtendedTrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
                }

                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
