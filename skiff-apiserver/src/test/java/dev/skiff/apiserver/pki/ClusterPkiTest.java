package dev.skiff.apiserver.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import javax.security.auth.x500.X500Principal;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.skiff.apiserver.TestClock;
import dev.skiff.apiserver.pki.ClusterPki.Material;

class ClusterPkiTest {

    private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

    /**
     * RSA key generation takes up to a second on a small machine, so most tests start from a copy of one PKI
     * created here (at {@link #START}); the tests about creation itself create their own.
     */
    @TempDir
    static Path template;

    @TempDir
    Path dir;

    private TestClock clock;

    @BeforeAll
    static void createTemplate() throws IOException {
        ClusterPki.loadOrCreate(template, new TestClock(START));
    }

    @BeforeEach
    void setUp() {
        clock = new TestClock(START);
    }

    /** The template's material in {@link #dir}, loaded. */
    private ClusterPki load() throws IOException {
        try (Stream<Path> files = Files.list(template)) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        ClusterPki pki = ClusterPki.loadOrCreate(dir, clock);
        assertThat(pki.generated()).isEmpty();
        return pki;
    }

    @Test
    void firstLoadCreatesEveryFileWithPrivateKeysOwnerOnly() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dir, clock);

        assertThat(pki.generated()).isEqualTo(EnumSet.allOf(Material.class));
        for (String key : List.of("ca.key", "apiserver.key", "admin.key", "sa.key")) {
            assertThat(Files.getPosixFilePermissions(dir.resolve(key)))
                    .as(key).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(dir.resolve(key))).startsWith("-----BEGIN PRIVATE KEY-----\n");
        }
        for (String cert : List.of("ca.crt", "apiserver.crt", "admin.crt")) {
            assertThat(Files.readString(dir.resolve(cert))).startsWith("-----BEGIN CERTIFICATE-----\n");
        }
        assertThat(Files.readString(dir.resolve("sa.pub"))).startsWith("-----BEGIN PUBLIC KEY-----\n");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "ca.crt", "ca.key", "apiserver.crt", "apiserver.key", "admin.crt", "admin.key", "sa.key",
                    "sa.pub");
        }
        assertThat(pki.serviceAccountKey().publicKey().getModulus().bitLength()).isEqualTo(2048);
        assertThat(pki.ca().privateKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(pki.toString()).doesNotContain("PRIVATE");
        assertThat(pki.admin().toString()).doesNotContain("PRIVATE");
    }

    @Test
    void reloadGivesIdenticalMaterialAndGeneratesNothing() throws Exception {
        ClusterPki first = load();
        clock.advance(Duration.ofDays(100));

        ClusterPki second = ClusterPki.loadOrCreate(dir, clock);

        assertThat(second.generated()).isEmpty();
        assertThat(second.ca()).isEqualTo(first.ca());
        assertThat(second.serving()).isEqualTo(first.serving());
        assertThat(second.admin()).isEqualTo(first.admin());
        assertThat(second.serviceAccountKey()).isEqualTo(first.serviceAccountKey());
        assertThat(second.ca().privateKey()).isEqualTo(first.ca().privateKey());
        assertThat(second.serviceAccountKey().privateKey()).isEqualTo(first.serviceAccountKey().privateKey());
        assertThat(second.caCertificatePem()).isEqualTo(Files.readString(dir.resolve("ca.crt")));
    }

    @Test
    void servingCertificateCarriesEveryRequiredNameAndChainsToTheCa() throws Exception {
        ClusterPki pki = load();
        X509Certificate serving = pki.serving().certificate();

        List<String> dnsNames = new ArrayList<>();
        List<String> ipAddresses = new ArrayList<>();
        for (List<?> entry : serving.getSubjectAlternativeNames()) {
            ((Integer) entry.get(0) == 2 ? dnsNames : ipAddresses).add((String) entry.get(1));
        }
        assertThat(dnsNames).contains("localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
                "kubernetes.default.svc.cluster.local");
        assertThat(ipAddresses).contains("127.0.0.1", "0:0:0:0:0:0:0:1");
        ClusterPki.localHostName().ifPresent(host -> assertThat(dnsNames).contains(host));
        assertThat(pki.servingNames()).containsAll(dnsNames);
        assertThat(serving.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(serving.getBasicConstraints()).isEqualTo(-1);
        assertThat(serving.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=kube-apiserver"));

        validatePath(serving, pki.ca().certificate());
        assertThat(serving.getNotAfter().toInstant()).isEqualTo(START.plus(Duration.ofDays(365)));
        assertThat(serving.getNotBefore().toInstant()).isBefore(START);
        X509Certificate ca = pki.ca().certificate();
        assertThat(ca.getNotAfter().toInstant()).isEqualTo(START.plus(Duration.ofDays(3650)));
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    }

    @Test
    void adminCertificateIsSystemMastersAndVerifies() throws Exception {
        ClusterPki pki = load();
        X509Certificate admin = pki.admin().certificate();

        assertThat(admin.getSubjectX500Principal())
                .isEqualTo(new X500Principal("CN=skiff-admin, O=system:masters"));
        assertThat(admin.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(admin.getNotAfter().toInstant()).isEqualTo(START.plus(Duration.ofDays(365)));
        validatePath(admin, pki.ca().certificate());

        ClientIdentity identity = pki.verifyClient(List.of(admin));
        assertThat(identity).isEqualTo(new ClientIdentity("skiff-admin", List.of("system:masters")));
        // Clients may send the CA along with their certificate.
        assertThat(pki.verifyClient(List.of(admin, pki.ca().certificate()))).isEqualTo(identity);
    }

    @Test
    void issuedClientCertificateMapsCommonNameAndEveryOrganization() throws Exception {
        ClusterPki pki = load();

        CertifiedKey jane = pki.issueClientCertificate("jane", List.of("dev", "ops"), Duration.ofHours(1));

        assertThat(pki.verifyClient(List.of(jane.certificate())))
                .isEqualTo(new ClientIdentity("jane", List.of("dev", "ops")));
        assertThat(Files.exists(dir.resolve("jane.crt"))).isFalse();
    }

    @Test
    void certificateFromAnotherCaIsRejected(@TempDir Path otherDir) throws Exception {
        ClusterPki pki = load();
        ClusterPki other = ClusterPki.loadOrCreate(otherDir, clock);

        assertThatThrownBy(() -> pki.verifyClient(List.of(other.admin().certificate())))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("not signed by the cluster CA");
        // Sending the foreign CA along changes nothing.
        assertThatThrownBy(() -> pki.verifyClient(List.of(other.admin().certificate(), other.ca().certificate())))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void expiredClientCertificateIsRejected() throws Exception {
        ClusterPki pki = load();
        CertifiedKey shortLived = pki.issueClientCertificate("temp", List.of(), Duration.ofHours(1));
        assertThat(pki.verifyClient(List.of(shortLived.certificate())).user()).isEqualTo("temp");

        clock.advance(Duration.ofHours(2));

        assertThatThrownBy(() -> pki.verifyClient(List.of(shortLived.certificate())))
                .isInstanceOf(CertificateExpiredException.class)
                .hasMessageContaining("expired");
        assertThat(pki.verifyClient(List.of(pki.admin().certificate())).user()).isEqualTo("skiff-admin");
        clock.advance(Duration.ofDays(365));
        assertThatThrownBy(() -> pki.verifyClient(List.of(pki.admin().certificate())))
                .isInstanceOf(CertificateExpiredException.class);
    }

    @Test
    void serverCertificateIsNotAcceptedAsClientCertificate() throws Exception {
        ClusterPki pki = load();

        assertThatThrownBy(() -> pki.verifyClient(List.of(pki.serving().certificate())))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("clientAuth");
        assertThatThrownBy(() -> pki.verifyClient(List.of()))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("no client certificate");
        assertThatThrownBy(() -> pki.verifyClient(List.of(pki.ca().certificate())))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void expiredLeavesAreReissuedUnderTheSameCa() throws Exception {
        ClusterPki first = load();
        clock.advance(Duration.ofDays(366));

        ClusterPki second = ClusterPki.loadOrCreate(dir, clock);

        assertThat(second.generated()).containsExactlyInAnyOrder(Material.SERVING, Material.ADMIN);
        assertThat(second.caCertificatePem()).isEqualTo(first.caCertificatePem());
        assertThat(second.serviceAccountKey().privateKeyPem()).isEqualTo(first.serviceAccountKey().privateKeyPem());
        assertThat(second.serving().certificatePem()).isNotEqualTo(first.serving().certificatePem());
        assertThat(second.admin().privateKeyPem()).isNotEqualTo(first.admin().privateKeyPem());
        assertThat(second.serving().certificate().getNotAfter().toInstant())
                .isEqualTo(clock.instant().plus(Duration.ofDays(365)));
        validatePath(second.serving().certificate(), second.ca().certificate());
        assertThat(second.verifyClient(List.of(second.admin().certificate())).user()).isEqualTo("skiff-admin");
        assertThat(Files.readString(dir.resolve("admin.crt"))).isEqualTo(second.admin().certificatePem());
    }

    @Test
    void servingCertificateLackingARequiredNameIsReissuedKeepingEverythingElse() throws Exception {
        ClusterPki first = load();

        ClusterPki second = ClusterPki.loadOrCreate(dir, clock, List.of("Skiff.Example.COM.", "10.1.2.3"));

        assertThat(second.generated()).containsExactly(Material.SERVING);
        assertThat(second.caCertificatePem()).isEqualTo(first.caCertificatePem());
        assertThat(second.admin().certificatePem()).isEqualTo(first.admin().certificatePem());
        assertThat(sanValues(second.serving().certificate())).contains("skiff.example.com", "10.1.2.3", "localhost");
        // The new certificate satisfies the same requirement on the next start.
        assertThat(ClusterPki.loadOrCreate(dir, clock, List.of("skiff.example.com", "10.1.2.3")).generated())
                .isEmpty();
        assertThatThrownBy(() -> ClusterPki.loadOrCreate(dir, clock, List.of("not a name")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void expiredCaIsReplacedWithEverythingItSignedButTheServiceAccountKeyStays() throws Exception {
        ClusterPki first = load();
        clock.advance(Duration.ofDays(3651));

        ClusterPki second = ClusterPki.loadOrCreate(dir, clock);

        assertThat(second.generated()).containsExactlyInAnyOrder(Material.CA, Material.SERVING, Material.ADMIN);
        assertThat(second.caCertificatePem()).isNotEqualTo(first.caCertificatePem());
        assertThat(second.serviceAccountKey().publicKey()).isEqualTo(first.serviceAccountKey().publicKey());
        validatePath(second.admin().certificate(), second.ca().certificate());
    }

    @Test
    void caCertificateWithoutItsKeyIsAnErrorNotASilentNewCa() throws Exception {
        load();
        Files.delete(dir.resolve("ca.key"));

        assertThatThrownBy(() -> ClusterPki.loadOrCreate(dir, clock))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ca.key is missing");
    }

    @Test
    void caKeyThatDoesNotMatchIsAnError() throws Exception {
        ClusterPki pki = load();
        Files.writeString(dir.resolve("ca.key"), pki.admin().privateKeyPem());

        assertThatThrownBy(() -> ClusterPki.loadOrCreate(dir, clock))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is not the key of");
    }

    @Test
    void mismatchedOrCorruptLeafIsReplaced() throws Exception {
        ClusterPki first = load();
        Files.writeString(dir.resolve("admin.key"), first.serving().privateKeyPem());
        Files.writeString(dir.resolve("apiserver.crt"), "garbage");

        ClusterPki second = ClusterPki.loadOrCreate(dir, clock);

        assertThat(second.generated()).containsExactlyInAnyOrder(Material.SERVING, Material.ADMIN);
        assertThat(second.caCertificatePem()).isEqualTo(first.caCertificatePem());
        assertThat(second.verifyClient(List.of(second.admin().certificate())).user()).isEqualTo("skiff-admin");
    }

    @Test
    void missingPublicServiceAccountKeyIsRewrittenFromThePrivateOne() throws Exception {
        ClusterPki first = load();
        Files.delete(dir.resolve("sa.pub"));

        ClusterPki second = ClusterPki.loadOrCreate(dir, clock);

        assertThat(second.generated()).isEmpty();
        assertThat(Files.readString(dir.resolve("sa.pub"))).isEqualTo(first.serviceAccountKey().publicKeyPem());
    }

    @Test
    void privateKeyReadableByOthersIsNarrowedOnLoad() throws Exception {
        load();
        Files.setPosixFilePermissions(dir.resolve("ca.key"), PosixFilePermissions.fromString("rw-r--r--"));

        ClusterPki.loadOrCreate(dir, clock);

        assertThat(Files.getPosixFilePermissions(dir.resolve("ca.key")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void newDirectoryIsOwnerOnly() throws Exception {
        Path pkiDir = dir.resolve("data").resolve("pki");

        ClusterPki.loadOrCreate(pkiDir, clock);

        assertThat(Files.getPosixFilePermissions(pkiDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    private void validatePath(X509Certificate leaf, X509Certificate ca) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(clock.instant()));
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
    }

    private static List<String> sanValues(X509Certificate certificate) throws Exception {
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        return names.stream().map(entry -> (String) entry.get(1)).toList();
    }
}
