package dev.skiff.apiserver.auth;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who a verified ServiceAccount token speaks for, as kube-apiserver's authenticator reports it (the
 * {@code user.Info} of a TokenReview). Immutable and thread-safe.
 *
 * @param user           {@code system:serviceaccount:<namespace>:<name>}
 * @param uid            the ServiceAccount's uid
 * @param groups         {@code system:serviceaccounts}, {@code system:serviceaccounts:<namespace>},
 *                       {@code system:authenticated}
 * @param extra          for a pod-bound token {@code authentication.kubernetes.io/pod-name} and {@code .../pod-uid};
 *                       {@code authentication.kubernetes.io/credential-id} ({@code JTI=<jti>}) when the token has an id
 * @param serviceAccount the ServiceAccount from the token's {@code kubernetes.io} claim
 * @param pod            the pod it is bound to, or null
 * @param audiences      the token's {@code aud}
 * @param expiresAt      the token's {@code exp}
 */
public record ServiceAccountIdentity(String user, String uid, List<String> groups, Map<String, List<String>> extra,
                                     ServiceAccountRef serviceAccount, BoundPod pod, List<String> audiences,
                                     Instant expiresAt) {

    public ServiceAccountIdentity {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(uid, "uid");
        groups = List.copyOf(groups);
        extra = Map.copyOf(extra);
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        audiences = List.copyOf(audiences);
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The bound pod, if the token is bound to one. Thread-safe. */
    public Optional<BoundPod> boundPod() {
        return Optional.ofNullable(pod);
    }
}
