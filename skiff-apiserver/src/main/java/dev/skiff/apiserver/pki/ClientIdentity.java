package dev.skiff.apiserver.pki;

import java.util.List;
import java.util.Objects;

/**
 * Who a verified client certificate speaks for, read the way kube-apiserver reads it: the user name is the subject's
 * common name (CN), the groups are the subject's organization (O) values in certificate order.
 * Immutable and thread-safe.
 *
 * @param user   the CN, never empty
 * @param groups the O values, possibly empty
 */
public record ClientIdentity(String user, List<String> groups) {

    public ClientIdentity {
        Objects.requireNonNull(user, "user");
        if (user.isEmpty()) {
            throw new IllegalArgumentException("user must not be empty");
        }
        groups = List.copyOf(groups);
    }
}
