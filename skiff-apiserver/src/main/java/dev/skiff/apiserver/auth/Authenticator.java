package dev.skiff.apiserver.auth;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Establishes who sent a request, from the TLS client certificate chain (possibly empty) and the
 * {@code Authorization} header (possibly null). Returns empty for anonymous requests; the server answers 401
 * where anonymous access is not allowed. Must be thread-safe and fast (called on every request).
 */
@FunctionalInterface
public interface Authenticator {

    Optional<UserInfo> authenticate(List<X509Certificate> clientChain, String authorization);
}
