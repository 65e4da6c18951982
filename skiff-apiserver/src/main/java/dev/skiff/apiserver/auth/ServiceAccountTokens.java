package dev.skiff.apiserver.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;

import dev.skiff.apiserver.auth.InvalidTokenException.Reason;
import dev.skiff.apiserver.pki.ServiceAccountKey;

/**
 * Issues and verifies ServiceAccount tokens the way kube-apiserver does for bound tokens (TokenRequest, projected
 * volumes): a JWS signed RS256 with the ServiceAccount key, header {@code kid} = the unpadded base64url SHA-256 of
 * the public key's DER (as kube-apiserver computes it, so JWKS published later match), and claims
 *
 * <pre>{@code
 * {"aud": ["https://kubernetes.default.svc.cluster.local"], "exp": ..., "iat": ..., "nbf": ...,
 *  "iss": "https://kubernetes.default.svc.cluster.local", "jti": "<uuid>",
 *  "sub": "system:serviceaccount:<namespace>:<name>",
 *  "kubernetes.io": {"namespace": "<namespace>", "serviceaccount": {"name": "<name>", "uid": "<uid>"},
 *                    "pod": {"name": "<pod>", "uid": "<pod uid>"}}}
 * }</pre>
 *
 * ({@code aud} is always an array, as kube-apiserver writes it; {@code pod} only for a pod-bound token.)
 *
 * <p>Verification accepts {@code exp}, {@code nbf} and {@code iat} within {@link #CLOCK_SKEW} (the leeway of the
 * JOSE library kube-apiserver uses). It proves a token was issued here and is current; whether the ServiceAccount
 * and pod it names still exist with those uids is for the caller to check against storage.
 * Legacy Secret-based tokens (issuer {@code kubernetes/serviceaccount}) are not supported.
 *
 * <p>Immutable; every method is thread-safe.
 */
public final class ServiceAccountTokens {

    /** kube-apiserver's conventional {@code --service-account-issuer}. */
    public static final String DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local";
    /** Prefix of every ServiceAccount user name. */
    public static final String USER_PREFIX = "system:serviceaccount:";
    /** The group of every ServiceAccount. */
    public static final String ALL_SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";
    /** Prefix of the per-namespace ServiceAccount group. */
    public static final String NAMESPACE_GROUP_PREFIX = "system:serviceaccounts:";
    /** The group of every authenticated user. */
    public static final String AUTHENTICATED_GROUP = "system:authenticated";
    /** Extra key: the name of the pod a token is bound to. */
    public static final String EXTRA_POD_NAME = "authentication.kubernetes.io/pod-name";
    /** Extra key: the uid of the pod a token is bound to. */
    public static final String EXTRA_POD_UID = "authentication.kubernetes.io/pod-uid";
    /** Extra key: {@code JTI=<jti>}, identifying the credential in audit logs. */
    public static final String EXTRA_CREDENTIAL_ID = "authentication.kubernetes.io/credential-id";
    /** Tolerated clock difference for {@code exp}, {@code nbf} and {@code iat}. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private static final String KUBERNETES_CLAIM = "kubernetes.io";

    private final RSAPrivateKey signingKey;
    private final RSAPublicKey verificationKey;
    private final String issuer;
    private final List<String> apiAudiences;
    private final Clock clock;
    private final String keyId;

    /**
     * @param signingKey      signs issued tokens
     * @param verificationKey verifies presented tokens (the public half of {@code signingKey})
     * @param issuer          the {@code iss} written and required
     * @param apiAudiences    the audiences the API server accepts (kube-apiserver's {@code --api-audiences}), also
     *                        the default audience of issued tokens; not empty
     * @param clock           the time for {@code iat}/{@code exp} and for checking them
     */
    public ServiceAccountTokens(RSAPrivateKey signingKey, RSAPublicKey verificationKey, String issuer,
                                List<String> apiAudiences, Clock clock) {
        this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
        this.verificationKey = Objects.requireNonNull(verificationKey, "verificationKey");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.apiAudiences = List.copyOf(apiAudiences);
        if (this.apiAudiences.isEmpty() || issuer.isEmpty()) {
            throw new IllegalArgumentException("issuer and apiAudiences must not be empty");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.keyId = keyIdOf(verificationKey);
    }

    /** Tokens with the cluster's ServiceAccount key, {@link #DEFAULT_ISSUER} as issuer and only audience. */
    public static ServiceAccountTokens of(ServiceAccountKey key, Clock clock) {
        return new ServiceAccountTokens(key.privateKey(), key.publicKey(), DEFAULT_ISSUER, List.of(DEFAULT_ISSUER),
                clock);
    }

    /** The {@code iss} of issued tokens. Thread-safe. */
    public String issuer() {
        return issuer;
    }

    /** The audiences {@link #verify(String)} accepts. Thread-safe. */
    public List<String> apiAudiences() {
        return apiAudiences;
    }

    /** The {@code kid} of issued tokens. Thread-safe. */
    public String keyId() {
        return keyId;
    }

    /**
     * Issues a token for {@code serviceAccount}, optionally bound to {@code pod}, valid from now for
     * {@code expiration}. Thread-safe.
     *
     * @param pod        the pod to bind to, or null
     * @param audiences  the token's audiences; empty means {@link #apiAudiences()}
     * @param expiration how long it is valid (at least one second)
     */
    public IssuedToken issue(ServiceAccountRef serviceAccount, BoundPod pod, List<String> audiences,
                             Duration expiration) {
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        if (expiration.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("expiration must be at least one second: " + expiration);
        }
        List<String> aud = audiences.isEmpty() ? apiAudiences : List.copyOf(audiences);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(expiration).truncatedTo(ChronoUnit.SECONDS);

        Map<String, Object> serviceAccountClaim = new LinkedHashMap<>();
        serviceAccountClaim.put("name", serviceAccount.name());
        serviceAccountClaim.put("uid", serviceAccount.uid());
        Map<String, Object> kubernetes = new LinkedHashMap<>();
        kubernetes.put("namespace", serviceAccount.namespace());
        if (pod != null) {
            Map<String, Object> podClaim = new LinkedHashMap<>();
            podClaim.put("name", pod.name());
            podClaim.put("uid", pod.uid());
            kubernetes.put("pod", podClaim);
        }
        kubernetes.put("serviceaccount", serviceAccountClaim);

        // Built as a map rather than a JWTClaimsSet: that would write a single audience as a string.
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", aud);
        claims.put("exp", expiresAt.getEpochSecond());
        claims.put("iat", now.getEpochSecond());
        claims.put("iss", issuer);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put(KUBERNETES_CLAIM, kubernetes);
        claims.put("nbf", now.getEpochSecond());
        claims.put("sub", serviceAccount.userName());

        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(),
                new Payload(claims));
        try {
            jws.sign(new RSASSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign ServiceAccount token: " + e.getMessage(), e);
        }
        return new IssuedToken(jws.serialize(), expiresAt);
    }

    /** {@link #verify(String, Collection)} against {@link #apiAudiences()}. Thread-safe. */
    public ServiceAccountIdentity verify(String token) throws InvalidTokenException {
        return verify(token, apiAudiences);
    }

    /**
     * Verifies a bearer token and returns whom it speaks for. Checks, in order: that it is a signed JWT, the issuer
     * (a foreign issuer is {@link Reason#WRONG_ISSUER}, so the caller can try other authenticators), the algorithm
     * (RS256 only), the signature, the time claims, the audience (at least one of {@code acceptedAudiences}) and
     * the ServiceAccount claims. Thread-safe.
     *
     * @throws InvalidTokenException with the first failed check as its {@link InvalidTokenException#reason()}
     */
    public ServiceAccountIdentity verify(String token, Collection<String> acceptedAudiences)
            throws InvalidTokenException {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException(Reason.MALFORMED, "empty token");
        }
        JWT parsed;
        JWTClaimsSet claims;
        try {
            parsed = JWTParser.parse(token.strip());
            claims = parsed.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidTokenException(Reason.MALFORMED, "not a JWT: " + e.getMessage());
        }
        if (!issuer.equals(claims.getIssuer())) {
            throw new InvalidTokenException(Reason.WRONG_ISSUER,
                    "issuer " + quote(claims.getIssuer()) + " is not " + quote(issuer));
        }
        if (!(parsed instanceof SignedJWT signed)) {
            throw new InvalidTokenException(Reason.UNSUPPORTED_ALGORITHM,
                    "token is not signed (algorithm " + parsed.getHeader().getAlgorithm() + ")");
        }
        JWSAlgorithm algorithm = signed.getHeader().getAlgorithm();
        if (!JWSAlgorithm.RS256.equals(algorithm)) {
            throw new InvalidTokenException(Reason.UNSUPPORTED_ALGORITHM,
                    "algorithm " + algorithm + " is not RS256");
        }
        boolean valid;
        try {
            valid = signed.verify(new RSASSAVerifier(verificationKey));
        } catch (JOSEException e) {
            valid = false;
        }
        if (!valid) {
            throw new InvalidTokenException(Reason.BAD_SIGNATURE,
                    "signature does not verify with the ServiceAccount key");
        }
        Instant expiresAt = checkTimes(claims);
        List<String> audiences = claims.getAudience();
        if (audiences.stream().noneMatch(acceptedAudiences::contains)) {
            throw new InvalidTokenException(Reason.WRONG_AUDIENCE,
                    "audiences " + audiences + " include none of " + List.copyOf(acceptedAudiences));
        }
        return identity(claims, audiences, expiresAt);
    }

    /** Checks exp (required), nbf and iat against now with {@link #CLOCK_SKEW}; returns exp. */
    private Instant checkTimes(JWTClaimsSet claims) throws InvalidTokenException {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new InvalidTokenException(Reason.INVALID_CLAIMS, "token has no exp");
        }
        Instant expiresAt = exp.toInstant();
        if (now.isAfter(expiresAt.plus(CLOCK_SKEW))) {
            throw new InvalidTokenException(Reason.EXPIRED, "token expired at " + expiresAt + " (now " + now + ")");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(CLOCK_SKEW).isBefore(nbf.toInstant())) {
            throw new InvalidTokenException(Reason.NOT_YET_VALID,
                    "token is not valid before " + nbf.toInstant() + " (now " + now + ")");
        }
        Date iat = claims.getIssueTime();
        if (iat != null && now.plus(CLOCK_SKEW).isBefore(iat.toInstant())) {
            throw new InvalidTokenException(Reason.NOT_YET_VALID,
                    "token was issued in the future, at " + iat.toInstant() + " (now " + now + ")");
        }
        return expiresAt;
    }

    private static ServiceAccountIdentity identity(JWTClaimsSet claims, List<String> audiences, Instant expiresAt)
            throws InvalidTokenException {
        Map<String, Object> kubernetes;
        try {
            kubernetes = claims.getJSONObjectClaim(KUBERNETES_CLAIM);
        } catch (ParseException e) {
            throw new InvalidTokenException(Reason.INVALID_CLAIMS, KUBERNETES_CLAIM + " is not an object");
        }
        if (kubernetes == null) {
            throw new InvalidTokenException(Reason.INVALID_CLAIMS, "token has no " + KUBERNETES_CLAIM + " claim");
        }
        String namespace = string(kubernetes, "namespace", KUBERNETES_CLAIM + ".namespace");
        Map<String, Object> serviceAccountClaim = object(kubernetes, "serviceaccount");
        if (serviceAccountClaim == null) {
            throw new InvalidTokenException(Reason.INVALID_CLAIMS, "token has no " + KUBERNETES_CLAIM
                    + ".serviceaccount");
        }
        ServiceAccountRef serviceAccount = new ServiceAccountRef(namespace,
                string(serviceAccountClaim, "name", "serviceaccount.name"),
                string(serviceAccountClaim, "uid", "serviceaccount.uid"));
        if (!serviceAccount.userName().equals(claims.getSubject())) {
            throw new InvalidTokenException(Reason.INVALID_CLAIMS, "sub " + quote(claims.getSubject())
                    + " does not match " + KUBERNETES_CLAIM + " (" + serviceAccount.userName() + ")");
        }
        Map<String, Object> podClaim = object(kubernetes, "pod");
        BoundPod pod = podClaim == null ? null
                : new BoundPod(string(podClaim, "name", "pod.name"), string(podClaim, "uid", "pod.uid"));

        Map<String, List<String>> extra = new LinkedHashMap<>();
        if (pod != null) {
            extra.put(EXTRA_POD_NAME, List.of(pod.name()));
            extra.put(EXTRA_POD_UID, List.of(pod.uid()));
        }
        if (claims.getJWTID() != null && !claims.getJWTID().isEmpty()) {
            extra.put(EXTRA_CREDENTIAL_ID, List.of("JTI=" + claims.getJWTID()));
        }
        List<String> groups = List.of(ALL_SERVICE_ACCOUNTS_GROUP, NAMESPACE_GROUP_PREFIX + namespace,
                AUTHENTICATED_GROUP);
        return new ServiceAccountIdentity(serviceAccount.userName(), serviceAccount.uid(), groups, extra,
                serviceAccount, pod, audiences, expiresAt);
    }

    private static String string(Map<String, Object> object, String key, String what) throws InvalidTokenException {
        if (object.get(key) instanceof String value && !value.isEmpty()) {
            return value;
        }
        throw new InvalidTokenException(Reason.INVALID_CLAIMS, "token has no " + what);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> parent, String key) throws InvalidTokenException {
        Object value = parent.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new InvalidTokenException(Reason.INVALID_CLAIMS, KUBERNETES_CLAIM + "." + key + " is not an object");
    }

    private static String quote(String value) {
        return value == null ? "(none)" : "'" + value + "'";
    }

    /** Unpadded base64url of the SHA-256 of the key's X.509 (SubjectPublicKeyInfo) DER encoding. */
    static String keyIdOf(RSAPublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
