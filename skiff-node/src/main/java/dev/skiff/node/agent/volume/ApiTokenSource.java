package dev.skiff.node.agent.volume;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link TokenSource} over the TokenRequest API ({@code POST .../serviceaccounts/<sa>/token}), bound to the pod.
 * A cached token is renewed once it is older than 80% of its lifetime or 24 hours, the kubelet token manager's
 * {@code requiresRefresh} rule. Thread-safe.
 */
public final class ApiTokenSource implements TokenSource {

    private static final Duration MAX_AGE = Duration.ofHours(24);

    private record Key(String podUid, String audience, long expirationSeconds) {
    }

    record Cached(String token, Instant issued, Instant expires) {
    }

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<Key, Cached> cache = new ConcurrentHashMap<>();

    public ApiTokenSource(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    @Override
    public String token(Pod pod, String audience, long expirationSeconds) throws TokenException {
        var meta = pod.getMetadata();
        Key key = new Key(meta.getUid(), audience, expirationSeconds);
        Instant now = clock.instant();
        Cached cached = cache.get(key);
        if (cached != null && !requiresRefresh(cached, now)) {
            return cached.token();
        }
        String account = pod.getSpec().getServiceAccountName();
        if (account == null || account.isEmpty()) {
            account = "default";
        }
        TokenRequestBuilder request = new TokenRequestBuilder().withNewSpec()
                .withExpirationSeconds(expirationSeconds)
                .withAudiences(audience == null || audience.isEmpty() ? List.of() : List.of(audience))
                .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod").withName(meta.getName())
                .withUid(meta.getUid()).endBoundObjectRef()
                .endSpec();
        TokenRequest answer;
        try {
            answer = client.serviceAccounts().inNamespace(meta.getNamespace()).withName(account)
                    .tokenRequest(request.build());
        } catch (KubernetesClientException e) {
            if (cached != null && now.isBefore(cached.expires())) {
                return cached.token(); // still valid: keep it and try again on the next resync, as the kubelet does
            }
            throw new TokenException("failed to fetch token: " + e.getMessage());
        }
        String token = answer.getStatus() == null ? null : answer.getStatus().getToken();
        if (token == null || token.isEmpty()) {
            throw new TokenException("failed to fetch token: the API answered without a token");
        }
        Instant expires = answer.getStatus().getExpirationTimestamp() == null
                ? now.plusSeconds(expirationSeconds) : Instant.parse(answer.getStatus().getExpirationTimestamp());
        cache.put(key, new Cached(token, now, expires));
        return token;
    }

    /** Renew after 80% of the lifetime (or after 24 h), the kubelet's rule. */
    static boolean requiresRefresh(Cached cached, Instant now) {
        Duration life = Duration.between(cached.issued(), cached.expires());
        Instant refreshAt = cached.issued().plus(life.multipliedBy(8).dividedBy(10));
        return !now.isBefore(refreshAt) || !now.isBefore(cached.issued().plus(MAX_AGE));
    }

    @Override
    public void forget(String podUid) {
        cache.keySet().removeIf(k -> k.podUid().equals(podUid));
    }
}
