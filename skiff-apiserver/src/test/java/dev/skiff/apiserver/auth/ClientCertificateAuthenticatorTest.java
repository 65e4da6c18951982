package dev.skiff.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.TestClock;
import dev.skiff.apiserver.pki.CertifiedKey;
import dev.skiff.apiserver.pki.ClusterPki;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientCertificateAuthenticatorTest {

    @TempDir
    Path dir;

    @Test
    void remembersTheUserButStillChecksTheValidityPeriodOnEveryRequest() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
        ClusterPki pki = ClusterPki.loadOrCreate(dir, clock);
        CertifiedKey jane = pki.issueClientCertificate("jane", List.of("dev", "ops"), Duration.ofHours(1));
        ClientCertificateAuthenticator authenticator = new ClientCertificateAuthenticator(clock);

        UserInfo expected = new UserInfo("jane", "", List.of("dev", "ops", UserInfo.AUTHENTICATED),
                Map.of());
        assertThat(authenticator.authenticate(List.of(jane.certificate()), null)).contains(expected);
        // A new TLS connection presents an equal certificate as a different object: the same identity.
        assertThat(authenticator.authenticate(List.of(reparsed(jane.certificate())), null)).contains(expected);
        assertThat(authenticator.authenticate(List.of(), null)).isEmpty();

        clock.advance(Duration.ofHours(2));
        assertThat(authenticator.authenticate(List.of(jane.certificate()), null)).isEmpty();
    }

    private static X509Certificate reparsed(X509Certificate certificate) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate.getEncoded()));
    }
}
