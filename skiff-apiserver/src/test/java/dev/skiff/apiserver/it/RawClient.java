package dev.skiff.apiserver.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.apiserver.pki.ClusterPki;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Plain HTTPS requests as the cluster admin, for tests where the exact bytes of a response or the exact sequence of
 * watch events matter (client libraries hide bookmarks, retries and reconnects).
 */
final class RawClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String base;

    RawClient(ClusterPki pki, String base) throws Exception {
        this.base = base;
        this.http = HttpClient.newBuilder().sslContext(sslContext(pki)).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A response read whole. */
    record Response(int status, JsonNode body) {
    }

    Response get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), JSON.readTree(response.body()));
    }

    /**
     * GET accepting gzip, as Go clients (kubectl) ask by default; the body must come back gzip-encoded and is
     * decoded here.
     */
    Response getGzipped(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .header("Accept-Encoding", "gzip").timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (!response.headers().firstValue("Content-Encoding").orElse("").equals("gzip")) {
            throw new IOException("not gzip-encoded: " + response.headers().map());
        }
        try (InputStream body = new java.util.zip.GZIPInputStream(response.body())) {
            return new Response(response.statusCode(), JSON.readTree(body));
        }
    }

    /** Opens a watch; its events are collected as they arrive until the server ends it or it is closed. */
    Watch watch(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        return new Watch(response.statusCode(), response.body());
    }

    /** One streaming watch. */
    static final class Watch implements AutoCloseable {

        private final int status;
        private final InputStream body;
        private final List<JsonNode> events = new CopyOnWriteArrayList<>();
        private final CompletableFuture<Void> ended = new CompletableFuture<>();
        private volatile boolean endedCleanly;

        Watch(int status, InputStream body) {
            this.status = status;
            this.body = body;
            Thread.ofVirtual().name("raw-watch").start(this::read);
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (!line.isBlank()) {
                        events.add(JSON.readTree(line));
                    }
                }
                endedCleanly = true;
            } catch (IOException e) {
                // the connection was cut (server stopped) or closed by the test
            } finally {
                ended.complete(null);
            }
        }

        int status() {
            return status;
        }

        /** Every event so far, in order. */
        List<JsonNode> events() {
            return List.copyOf(events);
        }

        /** The events other than bookmarks, as "TYPE name". */
        List<String> changes() {
            return events.stream().filter(e -> !e.path("type").asText().equals("BOOKMARK"))
                    .map(e -> e.path("type").asText() + " " + e.path("object").path("metadata").path("name").asText())
                    .toList();
        }

        /** Whether the body ended as a complete response (rather than with the connection cut). */
        boolean endedCleanly() {
            return endedCleanly;
        }

        /** Completes when the response body ends. */
        CompletableFuture<Void> ended() {
            return ended;
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException ignored) {
                // closing a stream that is already gone
            }
        }
    }

    private static SSLContext sslContext(ClusterPki pki) throws Exception {
        char[] password = "unused".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("admin", pki.admin().privateKey(), password, new Certificate[] {pki.admin().certificate()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", pki.ca().certificate());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    @Override
    public void close() {
        http.close();
    }
}
