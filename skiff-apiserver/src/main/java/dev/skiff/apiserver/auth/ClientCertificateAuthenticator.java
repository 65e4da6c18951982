package dev.skiff.apiserver.auth;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Users from TLS client certificates, as kube-apiserver's x509 authenticator: the subject's CN is the user name
 * and each O is a group. The chain has already been verified against the client CA by the TLS handshake (the
 * transport trusts only that CA), so this only reads the subject. Thread-safe.
 */
public final class ClientCertificateAuthenticator implements Authenticator {

    @Override
    public Optional<UserInfo> authenticate(List<X509Certificate> clientChain, String authorization) {
        if (clientChain.isEmpty()) {
            return Optional.empty();
        }
        X509Certificate leaf = clientChain.getFirst();
        try {
            leaf.checkValidity();
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
        } catch (InvalidNameException | java.security.cert.CertificateException e) {
            return Optional.empty();
        }
    }
}
