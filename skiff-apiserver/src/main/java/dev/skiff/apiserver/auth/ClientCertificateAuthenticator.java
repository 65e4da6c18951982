package dev.skiff.apiserver.auth;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Users from TLS client certificates, as kube-apiserver's x509 authenticator: the subject's CN is the user name
 * and each O is a group. The chain has already been verified against the client CA by the TLS handshake (the
 * transport trusts only that CA), so this only reads the subject. Thread-safe.
 *
 * <p>The user read from a certificate is remembered by the certificate (its DER encoding: equal certificates are
 * the same identity), so a client's every request does not parse its subject again; upstream's x509 authenticator
 * caches its verification results the same way. The validity period is still checked on every request.
 */
public final class ClientCertificateAuthenticator implements Authenticator {

    /** Distinct client certificates remembered; beyond it the memory starts over (a cache, never a limit). */
    private static final int MAX_REMEMBERED = 4096;

    /** What a certificate says, and until when. */
    private record Identity(Optional<UserInfo> user, Instant notBefore, Instant notAfter) {
    }

    private final Clock clock;
    private final Map<X509Certificate, Identity> remembered = new ConcurrentHashMap<>();

    public ClientCertificateAuthenticator() {
        this(Clock.systemUTC());
    }

    public ClientCertificateAuthenticator(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Optional<UserInfo> authenticate(List<X509Certificate> clientChain, String authorization) {
        if (clientChain.isEmpty()) {
            return Optional.empty();
        }
        X509Certificate leaf = clientChain.getFirst();
        Identity identity = remembered.get(leaf);
        if (identity == null) {
            if (remembered.size() >= MAX_REMEMBERED) {
                remembered.clear();
            }
            identity = new Identity(read(leaf), leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
            remembered.put(leaf, identity);
        }
        Instant now = clock.instant();
        if (now.isBefore(identity.notBefore()) || now.isAfter(identity.notAfter())) {
            return Optional.empty();
        }
        return identity.user();
    }

    private static Optional<UserInfo> read(X509Certificate leaf) {
        try {
            String user = null;
            List<String> groups = new ArrayList<>();
            for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    user = rdn.getValue().toString();
                } else if (rdn.getType().equalsIgnoreCase("O")) {
                    groups.add(rdn.getValue().toString());
                }
            }
            if (user == null || user.isEmpty()) {
                return Optional.empty();
            }
            groups.add(UserInfo.AUTHENTICATED);
            return Optional.of(new UserInfo(user, "", groups, Map.of()));
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
