package dev.skiff.apiserver.auth;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/** Combines authenticators: the first that recognises the request wins (upstream's union authenticator). */
public final class Authenticators {

    private Authenticators() {
    }

    public static Authenticator union(List<Authenticator> authenticators) {
        List<Authenticator> all = List.copyOf(authenticators);
        return (List<X509Certificate> chain, String authorization) -> {
            for (Authenticator authenticator : all) {
                Optional<UserInfo> user = authenticator.authenticate(chain, authorization);
                if (user.isPresent()) {
                    return user;
                }
            }
            return Optional.empty();
        };
    }
}
