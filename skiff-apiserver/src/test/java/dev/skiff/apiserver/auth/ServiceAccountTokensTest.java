package dev.skiff.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;

import dev.skiff.apiserver.TestClock;
import dev.skiff.apiserver.auth.InvalidTokenException.Reason;
import dev.skiff.apiserver.pki.ClusterPki;

class ServiceAccountTokensTest {

    private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
    private static final ServiceAccountRef BUILDER = new ServiceAccountRef("team-a", "builder",
            "5b9a3f0e-2d55-4a0e-9d7c-8f1b2c3d4e5f");
    private static final BoundPod POD = new BoundPod("builder-7d9f", "0e1d2c3b-4a59-4687-a8b9-c0d1e2f3a4b5");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path pkiDir;

    private static ClusterPki pki;
    private static KeyPair otherKeys;

    private TestClock clock;
    private ServiceAccountTokens tokens;

    @BeforeAll
    static void keys() throws Exception {
        pki = ClusterPki.loadOrCreate(pkiDir, new TestClock(START));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        otherKeys = generator.generateKeyPair();
    }

    @BeforeEach
    void setUp() {
        clock = new TestClock(START);
        tokens = ServiceAccountTokens.of(pki.serviceAccountKey(), clock);
    }

    @Test
    void issuedPodBoundTokenVerifiesAsItsServiceAccount() throws Exception {
        IssuedToken issued = tokens.issue(BUILDER, POD, List.of(), HOUR);
        clock.advance(Duration.ofMinutes(30));

        ServiceAccountIdentity identity = tokens.verify(issued.token());

        assertThat(identity.user()).isEqualTo("system:serviceaccount:team-a:builder");
        assertThat(identity.uid()).isEqualTo(BUILDER.uid());
        assertThat(identity.groups()).containsExactly("system:serviceaccounts", "system:serviceaccounts:team-a",
                "system:authenticated");
        assertThat(identity.extra())
                .containsEntry("authentication.kubernetes.io/pod-name", List.of("builder-7d9f"))
                .containsEntry("authentication.kubernetes.io/pod-uid", List.of(POD.uid()))
                .hasEntrySatisfying("authentication.kubernetes.io/credential-id",
                        ids -> assertThat(ids).singleElement().asString().matches("JTI=[0-9a-f-]{36}"));
        assertThat(identity.serviceAccount()).isEqualTo(BUILDER);
        assertThat(identity.boundPod()).contains(POD);
        assertThat(identity.audiences()).containsExactly("https://kubernetes.default.svc.cluster.local");
        assertThat(identity.expiresAt()).isEqualTo(START.plus(HOUR)).isEqualTo(issued.expiresAt());
        assertThat(issued.toString()).doesNotContain(issued.token());
    }

    @Test
    void tokenWithoutPodHasNoPodExtras() throws Exception {
        ServiceAccountIdentity identity = tokens.verify(tokens.issue(BUILDER, null, List.of(), HOUR).token());

        assertThat(identity.boundPod()).isEmpty();
        assertThat(identity.extra()).containsOnlyKeys("authentication.kubernetes.io/credential-id");
    }

    @Test
    void tokenHasKubeApiserversHeaderAndClaimsAndIsPlainRs256() throws Exception {
        String token = tokens.issue(BUILDER, POD, List.of(), HOUR).token();
        String[] parts = token.split("\\.");
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));

        byte[] publicKeyDer = Base64.getMimeDecoder().decode(Files.readString(pkiDir.resolve("sa.pub"))
                .replaceAll("-----[A-Z ]+-----", ""));
        String expectedKid = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(publicKeyDer));
        assertThat(header.get("alg").asText()).isEqualTo("RS256");
        assertThat(header.get("kid").asText()).isEqualTo(expectedKid).isEqualTo(tokens.keyId());

        assertThat(claims.get("iss").asText()).isEqualTo("https://kubernetes.default.svc.cluster.local");
        assertThat(claims.get("sub").asText()).isEqualTo("system:serviceaccount:team-a:builder");
        assertThat(claims.get("aud").isArray()).as("aud is a list even with one entry").isTrue();
        assertThat(claims.get("aud").get(0).asText()).isEqualTo("https://kubernetes.default.svc.cluster.local");
        assertThat(claims.get("iat").asLong()).isEqualTo(START.getEpochSecond());
        assertThat(claims.get("nbf").asLong()).isEqualTo(START.getEpochSecond());
        assertThat(claims.get("exp").asLong()).isEqualTo(START.plus(HOUR).getEpochSecond());
        assertThat(claims.get("jti").asText()).isNotEmpty();
        JsonNode kubernetes = claims.get("kubernetes.io");
        assertThat(kubernetes.get("namespace").asText()).isEqualTo("team-a");
        assertThat(kubernetes.get("serviceaccount").get("name").asText()).isEqualTo("builder");
        assertThat(kubernetes.get("serviceaccount").get("uid").asText()).isEqualTo(BUILDER.uid());
        assertThat(kubernetes.get("pod").get("name").asText()).isEqualTo("builder-7d9f");
        assertThat(kubernetes.get("pod").get("uid").asText()).isEqualTo(POD.uid());

        // Any RS256 implementation verifies it: here the JDK's own.
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(pki.serviceAccountKey().publicKey());
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rs256.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    }

    @Test
    void tokenExpiresAfterItsLifetimePlusTheAllowedSkew() throws Exception {
        String token = tokens.issue(BUILDER, POD, List.of(), HOUR).token();

        clock.advance(HOUR.plusSeconds(30));
        assertThat(tokens.verify(token).user()).isEqualTo("system:serviceaccount:team-a:builder");

        clock.advance(Duration.ofSeconds(31));
        assertRejected(() -> tokens.verify(token), Reason.EXPIRED, "expired at 2026-03-01T13:00:00Z");
    }

    @Test
    void tokenFromTheFutureIsNotYetValid() throws Exception {
        TestClock ahead = new TestClock(START.plus(Duration.ofMinutes(10)));
        String token = ServiceAccountTokens.of(pki.serviceAccountKey(), ahead).issue(BUILDER, null, List.of(), HOUR)
                .token();

        assertRejected(() -> tokens.verify(token), Reason.NOT_YET_VALID, "not valid before");
    }

    @Test
    void tokenSignedWithAnotherKeyHasABadSignature() {
        ServiceAccountTokens forger = new ServiceAccountTokens((RSAPrivateKey) otherKeys.getPrivate(),
                (RSAPublicKey) otherKeys.getPublic(), ServiceAccountTokens.DEFAULT_ISSUER,
                List.of(ServiceAccountTokens.DEFAULT_ISSUER), clock);
        String forged = forger.issue(BUILDER, POD, List.of(), HOUR).token();

        assertRejected(() -> tokens.verify(forged), Reason.BAD_SIGNATURE, "signature");
    }

    @Test
    void tamperedClaimsBreakTheSignature() throws Exception {
        String[] parts = tokens.issue(BUILDER, null, List.of(), HOUR).token().split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("builder", "admin");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        assertRejected(() -> tokens.verify(tampered), Reason.BAD_SIGNATURE, "signature");
    }

    @Test
    void tokenForAnotherAudienceIsRejectedUnlessThatAudienceIsAsked() throws Exception {
        String token = tokens.issue(BUILDER, POD, List.of("vault", "https://sts.example.com"), HOUR).token();

        assertRejected(() -> tokens.verify(token), Reason.WRONG_AUDIENCE, "vault");
        assertThat(tokens.verify(token, List.of("vault")).audiences())
                .containsExactly("vault", "https://sts.example.com");
    }

    @Test
    void tokenOfAnotherIssuerIsNotOurs() {
        ServiceAccountTokens elsewhere = new ServiceAccountTokens(pki.serviceAccountKey().privateKey(),
                pki.serviceAccountKey().publicKey(), "https://issuer.example.com",
                List.of(ServiceAccountTokens.DEFAULT_ISSUER), clock);
        String token = elsewhere.issue(BUILDER, null, List.of(), HOUR).token();

        assertRejected(() -> tokens.verify(token), Reason.WRONG_ISSUER, "https://issuer.example.com");
    }

    @Test
    void unsignedHmacAndGarbageTokensAreRejected() throws Exception {
        String unsigned = base64Json(Map.of("alg", "none")) + "."
                + base64Json(Map.of("iss", ServiceAccountTokens.DEFAULT_ISSUER, "sub", BUILDER.userName())) + ".";
        assertRejected(() -> tokens.verify(unsigned), Reason.UNSUPPORTED_ALGORITHM, "not signed");

        JWSObject hmac = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(Map.of(
                "iss", ServiceAccountTokens.DEFAULT_ISSUER, "sub", BUILDER.userName())));
        hmac.sign(new MACSigner(new byte[32]));
        assertRejected(() -> tokens.verify(hmac.serialize()), Reason.UNSUPPORTED_ALGORITHM, "HS256");

        assertRejected(() -> tokens.verify("not-a-token"), Reason.MALFORMED, "not a JWT");
        assertRejected(() -> tokens.verify(" "), Reason.MALFORMED, "empty");
    }

    @Test
    void signedTokenWithInconsistentServiceAccountClaimsIsRejected() throws Exception {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ServiceAccountTokens.DEFAULT_ISSUER);
        claims.put("aud", List.of(ServiceAccountTokens.DEFAULT_ISSUER));
        claims.put("exp", START.plus(HOUR).getEpochSecond());
        claims.put("sub", "system:serviceaccount:kube-system:root");
        claims.put("kubernetes.io", Map.of("namespace", "team-a",
                "serviceaccount", Map.of("name", "builder", "uid", BUILDER.uid())));
        assertRejected(() -> tokens.verify(sign(claims)), Reason.INVALID_CLAIMS, "does not match");

        claims.put("sub", BUILDER.userName());
        claims.put("kubernetes.io", Map.of("namespace", "team-a"));
        assertRejected(() -> tokens.verify(sign(claims)), Reason.INVALID_CLAIMS, "serviceaccount");

        claims.remove("exp");
        assertRejected(() -> tokens.verify(sign(claims)), Reason.INVALID_CLAIMS, "no exp");
    }

    @Test
    void keysFromTheClusterPkiSurviveARestart() throws Exception {
        String token = tokens.issue(BUILDER, POD, List.of(), HOUR).token();

        ClusterPki reloaded = ClusterPki.loadOrCreate(pkiDir, clock);
        ServiceAccountTokens afterRestart = ServiceAccountTokens.of(reloaded.serviceAccountKey(), clock);

        assertThat(afterRestart.verify(token).serviceAccount()).isEqualTo(BUILDER);
        assertThat(afterRestart.keyId()).isEqualTo(tokens.keyId());
    }

    @Test
    void issuingRejectsNonsense() {
        assertThatThrownBy(() -> tokens.issue(BUILDER, null, List.of(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ServiceAccountRef("", "builder", "uid"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ServiceAccountTokens(pki.serviceAccountKey().privateKey(),
                pki.serviceAccountKey().publicKey(), ServiceAccountTokens.DEFAULT_ISSUER, List.of(),
                Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class);
    }

    private static String sign(Map<String, Object> claims) throws Exception {
        JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.RS256), new Payload(claims));
        jws.sign(new RSASSASigner(pki.serviceAccountKey().privateKey()));
        return jws.serialize();
    }

    private static String base64Json(Map<String, Object> value) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(value));
    }

    private static void assertRejected(ThrowingCallable verification, Reason reason, String messagePart) {
        assertThatThrownBy(verification)
                .isInstanceOfSatisfying(InvalidTokenException.class,
                        e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason))
                .hasMessageContaining(messagePart);
    }
}
