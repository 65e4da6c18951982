package dev.skiff.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.image.Digest;
import dev.skiff.image.MediaTypes;
import dev.skiff.image.Progress;
import dev.skiff.image.build.Blob;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client of one registry's OCI distribution API ({@code /v2/}).
 *
 * <p>Every request that gets a {@code 401} is answered once through {@link RegistryAuth} and retried; request
 * bodies are re-readable (byte arrays, or files re-opened) so the retry sends the same content. Errors become
 * {@link RegistryException}s carrying the status and the distribution error codes; a registry that cannot be reached
 * gives status 0 and a message naming its address.
 *
 * <p>Thread-safe (the JDK HTTP client is); every method blocks until the registry answered.
 */
public final class RegistryClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MANIFEST_ACCEPT = String.join(", ", MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
            MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST);
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final int COPY_BUFFER = 64 * 1024;

    private final URI base;
    private final String name;
    private final HttpClient http;
    private final RegistryAuth auth;
    private final Duration timeout;

    /**
     * A client of the registry at {@code base} (e.g. {@code http://127.0.0.1:5000}); {@code credentials} may be
     * null for anonymous access.
     */
    public RegistryClient(URI base, Credentials credentials, Duration timeout, Clock clock) {
        this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
        this.name = base.getAuthority();
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.auth = new RegistryAuth(credentials, http, clock, timeout);
    }

    /**
     * A client of {@code hostPort}: plain HTTP when {@code plainHttp} or the host is a loopback name (as Docker and
     * containerd treat {@code localhost} registries), HTTPS otherwise.
     */
    public static RegistryClient forHost(String hostPort, boolean plainHttp, Credentials credentials) {
        return new RegistryClient(baseUri(hostPort, plainHttp), credentials, Duration.ofMinutes(5),
                Clock.systemUTC());
    }

    static URI baseUri(String hostPort, boolean plainHttp) {
        String host = hostPort.replaceFirst(":[0-9]+$", "");
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
        return URI.create((plainHttp || loopback ? "http://" : "https://") + hostPort);
    }

    /** The registry's base URI. */
    public URI base() {
        return base;
    }

    /** Whether {@code GET /v2/} answers 200 (or 401: the API is there, it wants credentials). Never throws. */
    public boolean ping() {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(base.resolve("v2/"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200 || r.statusCode() == 401;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Checks the registry speaks the API and the credentials work ({@code GET /v2/} with auth). */
    public void checkVersion() {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(base.resolve("v2/")).GET(), "registry:catalog:*",
                "check the registry API");
        expect(r, "check the registry API", 200);
    }

    /** Whether the repository holds the blob ({@code HEAD /v2/<name>/blobs/<digest>}). */
    public boolean blobExists(String repository, Digest digest) {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri(repository, "blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), pull(repository), "check blob " + digest);
        if (r.statusCode() == 404) {
            return false;
        }
        expect(r, "check blob " + digest, 200);
        return true;
    }

    /**
     * Uploads a blob: {@code POST} opens an upload session, then one {@code PUT ?digest=} with the whole content
     * ({@code chunkSize <= 0}) or {@code PATCH} requests of {@code chunkSize} bytes with {@code Content-Range} and a
     * closing empty {@code PUT ?digest=}. The registry verifies the digest. Not idempotent by itself: call
     * {@link #blobExists} first to skip blobs already there.
     */
    public void uploadBlob(String repository, Blob blob, long chunkSize, Progress progress) {
        String what = "upload blob " + blob.digest();
        HttpResponse<byte[]> opened = send(HttpRequest.newBuilder(uri(repository, "blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()), push(repository), what);
        expect(opened, what, 202);
        URI location = location(opened, what);
        progress.begin(blob.digest().hex().substring(0, 12), blob.size());
        try {
            if (chunkSize <= 0 || blob.size() <= chunkSize) {
                HttpResponse<byte[]> done = send(HttpRequest.newBuilder(withDigest(location, blob.digest()))
                        .header("Content-Type", "application/octet-stream")
                        .PUT(fileSlice(blob, 0, blob.size(), progress)), push(repository), what);
                expect(done, what, 201);
                return;
            }
            for (long offset = 0; offset < blob.size(); offset += chunkSize) {
                long length = Math.min(chunkSize, blob.size() - offset);
                HttpResponse<byte[]> patched = send(HttpRequest.newBuilder(location)
                        .header("Content-Type", "application/octet-stream")
                        .header("Content-Range", offset + "-" + (offset + length - 1))
                        .method("PATCH", fileSlice(blob, offset, length, progress)), push(repository), what);
                expect(patched, what, 202);
                location = location(patched, what);
            }
            HttpResponse<byte[]> done = send(HttpRequest.newBuilder(withDigest(location, blob.digest()))
                    .PUT(HttpRequest.BodyPublishers.noBody()), push(repository), what);
            expect(done, what, 201);
        } finally {
            progress.end();
        }
    }

    /** Puts a manifest under {@code reference} (a tag or digest); returns the digest the registry reports. */
    public Digest putManifest(String repository, String reference, String mediaType, byte[] manifest) {
        String what = "put manifest " + repository + ":" + reference;
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri(repository, "manifests/" + reference))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)), push(repository), what);
        expect(r, what, 201);
        return r.headers().firstValue("Docker-Content-Digest").map(Digest::parse).orElse(Digest.of(manifest));
    }

    /** Gets a manifest by tag or digest; empty when the registry does not know it. */
    public Optional<Manifest> getManifest(String repository, String reference) {
        String what = "get manifest " + repository + ":" + reference;
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri(repository, "manifests/" + reference))
                .header("Accept", MANIFEST_ACCEPT).GET(), pull(repository), what);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        expect(r, what, 200);
        String type = r.headers().firstValue("Content-Type").orElse(MediaTypes.OCI_MANIFEST);
        return Optional.of(new Manifest(type, Digest.of(r.body()), r.body()));
    }

    /** Downloads a blob into memory (for manifests' configs and tests; layers are better streamed by the runtime). */
    public byte[] getBlob(String repository, Digest digest) {
        String what = "get blob " + digest;
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri(repository, "blobs/" + digest)).GET(),
                pull(repository), what);
        expect(r, what, 200);
        return r.body();
    }

    /** The repository's tags ({@code GET /v2/<name>/tags/list}, following {@code Link} pagination). */
    public List<String> tags(String repository) {
        return paged(uri(repository, "tags/list"), "tags", pull(repository), "list tags of " + repository);
    }

    /** The registry's repositories ({@code GET /v2/_catalog}, following {@code Link} pagination). */
    public List<String> catalog() {
        return paged(base.resolve("v2/_catalog"), "repositories", "registry:catalog:*", "list repositories");
    }

    private List<String> paged(URI first, String field, String scope, String what) {
        List<String> all = new ArrayList<>();
        URI next = first;
        while (next != null) {
            HttpResponse<byte[]> r = send(HttpRequest.newBuilder(next).GET(), scope, what);
            expect(r, what, 200);
            try {
                JsonNode items = JSON.readTree(r.body()).path(field);
                items.forEach(n -> all.add(n.asText()));
            } catch (IOException e) {
                throw new RegistryException(what + ": the registry answered invalid JSON", r.statusCode(),
                        List.of(), e);
            }
            next = r.headers().firstValue("Link")
                    .map(NEXT_LINK::matcher).filter(Matcher::find)
                    .map(m -> base.resolve(m.group(1))).orElse(null);
        }
        return all;
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder builder, String scope, String what) {
        builder.timeout(timeout);
        auth.upfront(scope).ifPresent(h -> builder.setHeader("Authorization", h));
        HttpResponse<byte[]> response = exchange(builder.build(), what);
        if (response.statusCode() != 401) {
            return response;
        }
        List<String> challenges = response.headers().allValues("WWW-Authenticate");
        Optional<String> answer = auth.answer(challenges, scope, name);
        if (answer.isEmpty()) {
            throw error(response, what + ": registry " + name + " requires authentication"
                    + (challenges.isEmpty() ? "" : " (" + String.join("; ", challenges) + ")")
                    + " and no usable credentials were given");
        }
        builder.setHeader("Authorization", answer.get());
        response = exchange(builder.build(), what);
        if (response.statusCode() == 401) {
            throw error(response, what + ": registry " + name + " rejected the credentials");
        }
        return response;
    }

    private HttpResponse<byte[]> exchange(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new RegistryException(what + ": registry " + base + " is unreachable (" + e + ")", 0, List.of(),
                    e);
        } catch (IOException e) {
            throw new RegistryException(what + ": request to registry " + base + " failed: " + e, 0, List.of(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(what + ": interrupted", 0, List.of(), e);
        }
    }

    private static void expect(HttpResponse<byte[]> response, String what, int status) {
        if (response.statusCode() != status) {
            throw error(response, what + ": expected HTTP " + status);
        }
    }

    /** An exception from an error response, with the distribution error codes and messages of its body. */
    static RegistryException error(HttpResponse<byte[]> response, String prefix) {
        List<String> codes = new ArrayList<>();
        StringBuilder details = new StringBuilder();
        try {
            byte[] body = response.body();
            if (body != null && body.length > 0) {
                for (JsonNode e : JSON.readTree(body).path("errors")) {
                    codes.add(e.path("code").asText());
                    details.append(details.isEmpty() ? "" : "; ").append(e.path("code").asText()).append(": ")
                            .append(e.path("message").asText());
                }
            }
        } catch (IOException ignored) {
            // not a distribution error body (a proxy's HTML page, ...): the status says enough
        }
        return new RegistryException(prefix + ", got HTTP " + response.statusCode()
                + (details.isEmpty() ? "" : " (" + details + ")"), response.statusCode(), codes);
    }

    private URI location(HttpResponse<byte[]> response, String what) {
        return response.headers().firstValue("Location").map(base::resolve)
                .orElseThrow(() -> new RegistryException(what + ": the registry sent no upload Location", 
                        response.statusCode(), List.of()));
    }

    private static URI withDigest(URI location, Digest digest) {
        String s = location.toString();
        return URI.create(s + (s.contains("?") ? "&" : "?") + "digest=" + digest.toString().replace(":", "%3A"));
    }

    private URI uri(String repository, String rest) {
        return base.resolve("v2/" + repository + "/" + rest);
    }

    private static String pull(String repository) {
        return "repository:" + repository + ":pull";
    }

    private static String push(String repository) {
        return "repository:" + repository + ":pull,push";
    }

    /** A body of {@code length} bytes of the blob's file from {@code offset}, re-read on every send. */
    private static HttpRequest.BodyPublisher fileSlice(Blob blob, long offset, long length, Progress progress) {
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
            try {
                InputStream in = Files.newInputStream(blob.file());
                in.skipNBytes(offset);
                return new Counting(new BoundedInput(in, length), progress);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read blob " + blob.file(), e);
            }
        }), length);
    }

    /** Reports bytes read to a {@link Progress}. */
    private static final class Counting extends FilterInputStream {
        private final Progress progress;

        Counting(InputStream in, Progress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, Math.min(len, COPY_BUFFER));
            if (n > 0) {
                progress.advance(n);
            }
            return n;
        }
    }

    /** At most {@code remaining} bytes of the underlying stream. */
    private static final class BoundedInput extends FilterInputStream {
        private long remaining;

        BoundedInput(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
