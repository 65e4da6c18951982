package dev.skiff.apiserver.auth;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Users from {@code Authorization: Bearer} ServiceAccount tokens (signed JWTs), as kube-apiserver's ServiceAccount
 * token authenticator. An invalid token is simply not recognised (the request is then anonymous, hence 401 unless
 * another authenticator knows it). Thread-safe.
 */
public final class BearerTokenAuthenticator implements Authenticator {

    private final ServiceAccountTokens tokens;

    public BearerTokenAuthenticator(ServiceAccountTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Optional<UserInfo> authenticate(List<X509Certificate> clientChain, String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorization.substring(7).trim();
        if (token.isEmpty()) {
            return Optional.empty();
        }
        try {
            ServiceAccountIdentity identity = tokens.verify(token);
            return Optional.of(new UserInfo(identity.user(), identity.uid(), identity.groups(), identity.extra()));
        } catch (InvalidTokenException e) {
            return Optional.empty();
        }
    }
}
