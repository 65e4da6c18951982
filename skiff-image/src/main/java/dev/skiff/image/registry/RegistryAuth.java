package dev.skiff.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers a registry's {@code 401} challenges and remembers the answer for later requests.
 *
 * <ul>
 *   <li>{@code Basic}: the configured {@link Credentials} (the distribution registry's htpasswd mode); once a
 *       registry asked for Basic, every later request sends it upfront;</li>
 *   <li>{@code Bearer realm=...,service=...,scope=...}: a {@code GET realm?service=...&scope=...} to the token
 *       server (with Basic credentials when configured, anonymous otherwise), whose JSON answer holds
 *       {@code token} or {@code access_token} and optionally {@code expires_in} (seconds, default 60 as in the
 *       Docker token spec). Tokens are cached per scope until shortly before they expire.</li>
 * </ul>
 *
 * <p>Thread-safe: the caches are concurrent maps; two threads may fetch the same token, which is harmless.
 */
final class RegistryAuth {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);
    private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(5);

    private final Credentials credentials;
    private final HttpClient http;
    private final Clock clock;
    private final Duration timeout;
    private volatile boolean basicRequested;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    RegistryAuth(Credentials credentials, HttpClient http, Clock clock, Duration timeout) {
        this.credentials = credentials;
        this.http = http;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** The Authorization header to send upfront for a request needing {@code scope}, if one is known. */
    Optional<String> upfront(String scope) {
        if (basicRequested && credentials != null) {
            return Optional.of(credentials.basicHeader());
        }
        Token token = tokens.get(scope);
        if (token == null && scope.endsWith(":pull")) {
            // A push token also allows pulls of the same repository.
            token = tokens.get(scope + ",push");
        }
        if (token != null && clock.instant().isBefore(token.expires())) {
            return Optional.of("Bearer " + token.value());
        }
        return Optional.empty();
    }

    /**
     * The Authorization header answering the challenges of a {@code 401} response, fetching a token if needed; empty
     * when no challenge can be answered (e.g. Basic without credentials).
     */
    Optional<String> answer(List<String> challenges, String scope, String registry) {
        for (String header : challenges) {
            Challenge challenge = Challenge.parse(header);
            switch (challenge.scheme()) {
                case "basic" -> {
                    if (credentials != null) {
                        basicRequested = true;
                        return Optional.of(credentials.basicHeader());
                    }
                }
                case "bearer" -> {
                    Token token = fetchToken(challenge, scope, registry);
                    tokens.put(scope, token);
                    String asked = challenge.params().get("scope");
                    if (asked != null) {
                        tokens.put(asked, token);
                    }
                    return Optional.of("Bearer " + token.value());
                }
                default -> {
                    // Unknown schemes (Negotiate, ...) are skipped: a registry may offer several.
                }
            }
        }
        return Optional.empty();
    }

    private Token fetchToken(Challenge challenge, String scope, String registry) {
        String realm = challenge.params().get("realm");
        if (realm == null || realm.isEmpty()) {
            throw new RegistryException("registry " + registry + " asked for a bearer token without a realm", 401,
                    List.of("UNAUTHORIZED"));
        }
        StringBuilder query = new StringBuilder();
        String service = challenge.params().get("service");
        if (service != null) {
            query.append("service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8));
        }
        String wanted = challenge.params().getOrDefault("scope", scope);
        if (wanted != null && !wanted.isEmpty()) {
            if (!query.isEmpty()) {
                query.append('&');
            }
            query.append("scope=").append(URLEncoder.encode(wanted, StandardCharsets.UTF_8));
        }
        URI uri = URI.create(realm + (query.isEmpty() ? "" : (realm.contains("?") ? "&" : "?") + query));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (credentials != null) {
            request.header("Authorization", credentials.basicHeader());
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new RegistryException("the token server " + realm + " for registry " + registry
                        + " refused a token for scope \"" + wanted + "\" (HTTP " + response.statusCode() + ")",
                        response.statusCode(), List.of("UNAUTHORIZED"));
            }
            JsonNode body = JSON.readTree(response.body());
            String value = body.path("token").asText(body.path("access_token").asText(""));
            if (value.isEmpty()) {
                throw new RegistryException("the token server " + realm + " answered without a token", 401,
                        List.of("UNAUTHORIZED"));
            }
            long seconds = body.path("expires_in").asLong(DEFAULT_TOKEN_LIFETIME.toSeconds());
            Instant expires = clock.instant().plusSeconds(Math.max(seconds, 1)).minus(EXPIRY_MARGIN);
            return new Token(value, expires);
        } catch (IOException e) {
            throw new RegistryException("cannot reach the token server " + realm + " of registry " + registry + ": "
                    + e.getMessage(), 0, List.of(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while fetching a registry token", 0, List.of(), e);
        }
    }

    private record Token(String value, Instant expires) {}
}
