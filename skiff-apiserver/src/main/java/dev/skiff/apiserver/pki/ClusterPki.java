package dev.skiff.apiserver.pki;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's key material, kept as PEM files in one directory and created on first use:
 *
 * <table>
 *   <caption>Files</caption>
 *   <tr><th>file</th><th>what</th><th>validity</th></tr>
 *   <tr><td>{@code ca.crt}, {@code ca.key}</td><td>the cluster CA (self-signed)</td><td>10 years</td></tr>
 *   <tr><td>{@code apiserver.crt}, {@code apiserver.key}</td><td>the API server's serving certificate, with
 *       {@link #servingNames()} as subject alternative names</td><td>1 year</td></tr>
 *   <tr><td>{@code admin.crt}, {@code admin.key}</td><td>the admin client certificate, {@code CN=skiff-admin},
 *       {@code O=system:masters}, extended key usage clientAuth</td><td>1 year</td></tr>
 *   <tr><td>{@code sa.key}, {@code sa.pub}</td><td>the RSA 2048 key pair that signs ServiceAccount tokens</td>
 *       <td>no expiry</td></tr>
 * </table>
 *
 * <p>Private keys are PKCS#8 with mode 0600; certificates and {@code sa.pub} are 0644; a new directory is 0700.
 * Every file is written atomically (temporary file, sync, rename).
 *
 * <h2>Load or create</h2>
 * Valid material is never regenerated, so kubeconfigs and tokens handed out keep working across restarts.
 * <ul>
 *   <li>The CA is created when {@code ca.crt} is missing, and re-created (with a warning) when it has expired.
 *       A {@code ca.crt} without its {@code ca.key}, or with a key that does not match, is an error: replacing a CA
 *       that clients trust must be a human decision.</li>
 *   <li>The serving certificate is re-issued when it is missing, unreadable, does not match its key, is not signed
 *       by the CA, is outside its validity period or lacks one of {@link #servingNames()} (e.g. after the host
 *       was renamed). The admin certificate likewise when it no longer has the admin subject or clientAuth.</li>
 *   <li>The ServiceAccount key is created when {@code sa.key} is missing; {@code sa.pub} is rewritten from it
 *       when missing or different.</li>
 * </ul>
 * {@link #generated()} tells what a load created, e.g. to decide whether a kubeconfig must be rewritten.
 *
 * <h2>Threads</h2>
 * An instance is immutable and every method is thread-safe. {@link #loadOrCreate} itself must not run concurrently
 * for the same directory (the server holds the data directory's lock while it runs).
 */
public final class ClusterPki {

    /** How long a new CA certificate is valid. */
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /** How long new serving and client certificates are valid (never beyond the CA). */
    public static final Duration LEAF_VALIDITY = Duration.ofDays(365);
    /** The admin user name: the CN of {@code admin.crt}. */
    public static final String ADMIN_USER = "skiff-admin";
    /** The group that RBAC lets do anything: the O of {@code admin.crt}. */
    public static final String MASTERS_GROUP = "system:masters";
    /** The CN of the serving certificate (as kubeadm names it). */
    public static final String SERVING_COMMON_NAME = "kube-apiserver";
    /**
     * Subject alternative names every serving certificate has: the loopback names and the in-cluster names of the
     * {@code kubernetes} Service. The host name and any extra names are added by {@link #loadOrCreate}.
     */
    public static final List<String> BASE_SERVING_NAMES = List.of(
            "localhost", "127.0.0.1", "::1",
            "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local");

    public static final String CA_CERT = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String SERVING_CERT = "apiserver.crt";
    public static final String SERVING_KEY = "apiserver.key";
    public static final String ADMIN_CERT = "admin.crt";
    public static final String ADMIN_KEY = "admin.key";
    public static final String SERVICE_ACCOUNT_KEY = "sa.key";
    public static final String SERVICE_ACCOUNT_PUBLIC_KEY = "sa.pub";

    /** What {@link #loadOrCreate} may create. */
    public enum Material {
        /** {@code ca.crt} / {@code ca.key}. */
        CA,
        /** {@code apiserver.crt} / {@code apiserver.key}. */
        SERVING,
        /** {@code admin.crt} / {@code admin.key}. */
        ADMIN,
        /** {@code sa.key} / {@code sa.pub}. */
        SERVICE_ACCOUNT_KEY
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClusterPki.class);

    private final Path directory;
    private final Clock clock;
    private final List<String> servingNames;
    private final CertifiedKey ca;
    private final CertifiedKey serving;
    private final CertifiedKey admin;
    private final ServiceAccountKey serviceAccountKey;
    private final Set<Material> generated;
    private final SecureRandom random;

    private ClusterPki(Path directory, Clock clock, List<String> servingNames, CertifiedKey ca, CertifiedKey serving,
                       CertifiedKey admin, ServiceAccountKey serviceAccountKey, Set<Material> generated,
                       SecureRandom random) {
        this.directory = directory;
        this.clock = clock;
        this.servingNames = servingNames;
        this.ca = ca;
        this.serving = serving;
        this.admin = admin;
        this.serviceAccountKey = serviceAccountKey;
        this.generated = generated;
        this.random = random;
    }

    /**
     * Loads the material in {@code pkiDir}, creating what is missing or no longer valid (see the class comment),
     * with the {@link #BASE_SERVING_NAMES} and this machine's host name as serving names.
     * Must not run concurrently for the same directory.
     *
     * @param pkiDir where the files live; created (0700) if missing
     * @param clock  the time for validity checks and new certificates
     * @throws IOException if the directory cannot be read or written, or holds a CA that cannot be used
     */
    public static ClusterPki loadOrCreate(Path pkiDir, Clock clock) throws IOException {
        return loadOrCreate(pkiDir, clock, List.of());
    }

    /**
     * Like {@link #loadOrCreate(Path, Clock)}, with further names the serving certificate must carry (DNS names or
     * IP literals, e.g. an advertised address). Must not run concurrently for the same directory.
     *
     * @throws IllegalArgumentException if an extra name is neither a DNS name nor an IP literal
     */
    public static ClusterPki loadOrCreate(Path pkiDir, Clock clock, Collection<String> extraServingNames)
            throws IOException {
        Objects.requireNonNull(pkiDir, "pkiDir");
        Objects.requireNonNull(clock, "clock");
        List<String> names = servingNames(extraServingNames);
        return new Loader(pkiDir, clock, names).run();
    }

    /** The directory the files live in. Thread-safe. */
    public Path directory() {
        return directory;
    }

    /** The CA certificate and key. Thread-safe. */
    public CertifiedKey ca() {
        return ca;
    }

    /** The API server's serving certificate and key. Thread-safe. */
    public CertifiedKey serving() {
        return serving;
    }

    /** The admin client certificate ({@code CN=skiff-admin, O=system:masters}) and key. Thread-safe. */
    public CertifiedKey admin() {
        return admin;
    }

    /** The key pair that signs ServiceAccount tokens. Thread-safe. */
    public ServiceAccountKey serviceAccountKey() {
        return serviceAccountKey;
    }

    /** The CA certificate as PEM: what clients trust ({@code certificate-authority-data}). Thread-safe. */
    public String caCertificatePem() {
        return ca.certificatePem();
    }

    /** The names the serving certificate was required to carry at load, canonical (see class comment). Thread-safe. */
    public List<String> servingNames() {
        return servingNames;
    }

    /** What the load that made this instance created or re-created (empty when everything was reused). Thread-safe. */
    public Set<Material> generated() {
        return generated;
    }

    /**
     * Verifies a client certificate chain as presented in a TLS handshake (leaf first; the CA itself may be included)
     * against the cluster CA at the clock's current time, and reads the identity from the leaf the way
     * kube-apiserver does: CN is the user, each O a group. The leaf must allow clientAuth. Thread-safe.
     *
     * @throws CertificateExpiredException     if a certificate of the chain has expired
     * @throws CertificateNotYetValidException if a certificate of the chain is not valid yet
     * @throws CertificateException            if the chain is empty, not X.509, not issued by the cluster CA, not
     *                                         for client authentication or has no CN
     */
    public ClientIdentity verifyClient(List<? extends Certificate> chain) throws CertificateException {
        if (chain == null || chain.isEmpty()) {
            throw new CertificateException("no client certificate presented");
        }
        List<X509Certificate> path = new ArrayList<>();
        for (Certificate certificate : chain) {
            if (!(certificate instanceof X509Certificate x509)) {
                throw new CertificateException("not an X.509 certificate: " + certificate.getType());
            }
            if (!x509.equals(ca.certificate())) {
                path.add(x509);
            }
        }
        if (path.isEmpty()) {
            throw new CertificateException("the CA certificate itself is not a client certificate");
        }
        X509Certificate leaf = path.getFirst();
        Instant now = clock.instant();
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
        } catch (CertPathValidatorException e) {
            X509Certificate failed = failedCertificate(e, path, leaf);
            String subject = failed.getSubjectX500Principal().getName();
            if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                throw new CertificateExpiredException("client certificate " + subject + " expired at "
                        + failed.getNotAfter().toInstant() + " (now " + now + ")");
            }
            if (e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                throw new CertificateNotYetValidException("client certificate " + subject + " is not valid before "
                        + failed.getNotBefore().toInstant() + " (now " + now + ")");
            }
            throw new CertificateException("client certificate " + leaf.getSubjectX500Principal().getName()
                    + " (issuer " + leaf.getIssuerX500Principal().getName()
                    + ") is not signed by the cluster CA: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new CertificateException("cannot verify client certificate: " + e.getMessage(), e);
        }
        if (!Certificates.isClientCertificate(leaf)) {
            throw new CertificateException("certificate " + leaf.getSubjectX500Principal().getName()
                    + " is not for client authentication (extended key usage lacks clientAuth)");
        }
        List<String> commonNames = Certificates.subjectValues(leaf, BCStyle.CN);
        if (commonNames.isEmpty() || commonNames.getFirst().isEmpty()) {
            throw new CertificateException("client certificate " + leaf.getSubjectX500Principal().getName()
                    + " has no common name (user name)");
        }
        return new ClientIdentity(commonNames.getFirst(), Certificates.subjectValues(leaf, BCStyle.O));
    }

    /**
     * Issues a new client certificate for {@code user} in {@code groups}, signed by the cluster CA and valid from the
     * clock's now for {@code validity} (never beyond the CA). Nothing is written to disk. Thread-safe.
     */
    public CertifiedKey issueClientCertificate(String user, List<String> groups, Duration validity) {
        Objects.requireNonNull(user, "user");
        if (user.isEmpty()) {
            throw new IllegalArgumentException("user must not be empty");
        }
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive: " + validity);
        }
        Instant now = clock.instant();
        KeyPair keys = Certificates.newRsaKeyPair(random);
        X509Certificate certificate = Certificates.issueLeaf(ca, keys.getPublic(),
                Certificates.subject(user, List.copyOf(groups)), now, now.plus(validity),
                KeyPurposeId.id_kp_clientAuth, List.of(), random);
        return CertifiedKey.of(certificate, keys.getPrivate());
    }

    /**
     * Issues a new serving certificate for {@code commonName} with {@code names} (DNS names or IP literals) as its
     * subject alternative names, signed by the cluster CA and valid from the clock's now for {@code validity}: what
     * a kubelet serves its HTTPS endpoints with (kubeadm's {@code kubelet.crt}, {@code CN=<node>}). Nothing is written
     * to disk. Thread-safe.
     */
    public CertifiedKey issueServingCertificate(String commonName, List<String> names, Duration validity) {
        Objects.requireNonNull(commonName, "commonName");
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a serving certificate needs at least one name");
        }
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive: " + validity);
        }
        Instant now = clock.instant();
        KeyPair keys = Certificates.newRsaKeyPair(random);
        X509Certificate certificate = Certificates.issueLeaf(ca, keys.getPublic(),
                Certificates.subject(commonName, List.of()), now, now.plus(validity),
                KeyPurposeId.id_kp_serverAuth, List.copyOf(names), random);
        return CertifiedKey.of(certificate, keys.getPrivate());
    }

    /** The directory and the CA's subject and expiry; never key material. Thread-safe. */
    @Override
    public String toString() {
        return "ClusterPki[" + directory + ", ca=" + ca + "]";
    }

    /** The canonical (deduplicated, ordered) serving names: base names, host name, extras. */
    private static List<String> servingNames(Collection<String> extras) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : BASE_SERVING_NAMES) {
            names.add(Certificates.canonicalName(name));
        }
        localHostName().ifPresent(names::add);
        for (String extra : extras) {
            names.add(Certificates.canonicalName(extra));
        }
        return List.copyOf(names);
    }

    /**
     * This machine's host name if it is a usable DNS name; the lookup failing only costs the SAN. (The JDK resolves
     * the name it gets from the OS, which can be slow on hosts whose name is not in their resolver; it runs once per
     * start.) Addresses other machines reach the server by belong in the extra serving names.
     */
    static Optional<String> localHostName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv("HOSTNAME");
        }
        if (host == null || host.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Certificates.canonicalName(host));
        } catch (IllegalArgumentException e) {
            LOG.warn("host name '{}' is not a valid DNS name; the serving certificate will not include it", host);
            return Optional.empty();
        }
    }

    private static X509Certificate failedCertificate(CertPathValidatorException e, List<X509Certificate> path,
                                                     X509Certificate fallback) {
        int index = e.getIndex();
        return index >= 0 && index < path.size() ? path.get(index) : fallback;
    }

    /** One run of load-or-create over a directory. */
    private static final class Loader {

        private final Path directory;
        private final Clock clock;
        private final List<String> servingNames;
        private final Instant now;
        private final SecureRandom random = new SecureRandom();
        private final Set<Material> generated = EnumSet.noneOf(Material.class);

        Loader(Path directory, Clock clock, List<String> servingNames) {
            this.directory = directory;
            this.clock = clock;
            this.servingNames = servingNames;
            this.now = clock.instant();
        }

        ClusterPki run() throws IOException {
            SecureFiles.createPrivateDirectory(directory);
            CertifiedKey ca = loadOrCreateCa();
            CertifiedKey serving = loadOrIssueLeaf(Material.SERVING, SERVING_CERT, SERVING_KEY, ca);
            CertifiedKey admin = loadOrIssueLeaf(Material.ADMIN, ADMIN_CERT, ADMIN_KEY, ca);
            ServiceAccountKey serviceAccountKey = loadOrCreateServiceAccountKey();
            return new ClusterPki(directory, clock, servingNames, ca, serving, admin, serviceAccountKey,
                    Set.copyOf(generated), random);
        }

        private CertifiedKey loadOrCreateCa() throws IOException {
            Path certFile = directory.resolve(CA_CERT);
            Path keyFile = directory.resolve(CA_KEY);
            if (Files.exists(certFile)) {
                if (!Files.exists(keyFile)) {
                    throw new IOException(certFile + " exists but " + keyFile + " is missing: cannot sign with this CA."
                            + " Restore the key, or remove the CA files (and every certificate it issued) to start"
                            + " a new CA");
                }
                X509Certificate certificate = loadCertificate(certFile);
                PrivateKey key = loadPrivateKey(keyFile);
                if (!Certificates.keysMatch(key, certificate.getPublicKey())) {
                    throw new IOException(keyFile + " is not the key of " + certFile);
                }
                if (certificate.getBasicConstraints() < 0) {
                    throw new IOException(certFile + " is not a CA certificate");
                }
                if (now.isBefore(certificate.getNotBefore().toInstant())) {
                    throw new IOException(certFile + " is not valid before " + certificate.getNotBefore().toInstant()
                            + " but the clock says " + now + "; is the clock wrong?");
                }
                if (!now.isBefore(certificate.getNotAfter().toInstant())) {
                    LOG.warn("The cluster CA in {} expired at {}: creating a new CA. Every kubeconfig and"
                            + " certificate issued by the old one stops working.", certFile,
                            certificate.getNotAfter().toInstant());
                } else {
                    return CertifiedKey.of(certificate, key);
                }
            }
            KeyPair keys = Certificates.newRsaKeyPair(random);
            String commonName = "skiff-ca@" + now.getEpochSecond();
            X509Certificate certificate = Certificates.selfSignedCa(keys, commonName, now, now.plus(CA_VALIDITY),
                    random);
            CertifiedKey created = CertifiedKey.of(certificate, keys.getPrivate());
            // Key first, certificate last: a crash in between leaves no ca.crt, so the next start creates a CA anew.
            SecureFiles.writeAtomically(keyFile, created.privateKeyPem(), true);
            SecureFiles.writeAtomically(certFile, created.certificatePem(), false);
            generated.add(Material.CA);
            LOG.info("Created cluster CA {} in {}", commonName, directory);
            return created;
        }

        private CertifiedKey loadOrIssueLeaf(Material material, String certName, String keyName, CertifiedKey ca)
                throws IOException {
            Path certFile = directory.resolve(certName);
            Path keyFile = directory.resolve(keyName);
            Optional<String> problem;
            CertifiedKey existing = null;
            if (!Files.exists(certFile) || !Files.exists(keyFile)) {
                problem = Optional.of("missing");
            } else {
                try {
                    existing = CertifiedKey.of(loadCertificate(certFile), loadPrivateKey(keyFile));
                    problem = leafProblem(material, existing, ca);
                } catch (IOException e) {
                    problem = Optional.of("unreadable (" + e.getMessage() + ")");
                }
            }
            if (problem.isEmpty()) {
                return existing;
            }
            if (existing != null) {
                LOG.info("Re-issuing {}: {}", certFile, problem.get());
            }
            KeyPair keys = Certificates.newRsaKeyPair(random);
            X509Certificate certificate = material == Material.SERVING
                    ? Certificates.issueLeaf(ca, keys.getPublic(), Certificates.subject(SERVING_COMMON_NAME, List.of()),
                            now, now.plus(LEAF_VALIDITY), KeyPurposeId.id_kp_serverAuth, servingNames, random)
                    : Certificates.issueLeaf(ca, keys.getPublic(),
                            Certificates.subject(ADMIN_USER, List.of(MASTERS_GROUP)), now, now.plus(LEAF_VALIDITY),
                            KeyPurposeId.id_kp_clientAuth, List.of(), random);
            CertifiedKey issued = CertifiedKey.of(certificate, keys.getPrivate());
            // Key first, then certificate: a crash in between leaves a mismatched pair, which the next load replaces.
            SecureFiles.writeAtomically(keyFile, issued.privateKeyPem(), true);
            SecureFiles.writeAtomically(certFile, issued.certificatePem(), false);
            generated.add(material);
            return issued;
        }

        /** Why an existing leaf cannot be kept, if it cannot. */
        private Optional<String> leafProblem(Material material, CertifiedKey leaf, CertifiedKey ca) {
            X509Certificate certificate = leaf.certificate();
            if (!Certificates.keysMatch(leaf.privateKey(), certificate.getPublicKey())) {
                return Optional.of("certificate and key do not match");
            }
            if (!Certificates.signedBy(certificate, ca.certificate())) {
                return Optional.of("not signed by the current CA");
            }
            if (!now.isBefore(certificate.getNotAfter().toInstant())) {
                return Optional.of("expired at " + certificate.getNotAfter().toInstant());
            }
            if (now.isBefore(certificate.getNotBefore().toInstant())) {
                return Optional.of("not valid before " + certificate.getNotBefore().toInstant());
            }
            if (material == Material.SERVING) {
                if (!Certificates.isServerCertificate(certificate)) {
                    return Optional.of("not for server authentication");
                }
                List<String> present = Certificates.subjectAlternativeNames(certificate);
                List<String> missing = servingNames.stream().filter(name -> !present.contains(name)).toList();
                if (!missing.isEmpty()) {
                    return Optional.of("lacks subject alternative names " + missing);
                }
            } else {
                if (!Certificates.isClientCertificate(certificate)) {
                    return Optional.of("not for client authentication");
                }
                if (!Certificates.subjectValues(certificate, BCStyle.CN).equals(List.of(ADMIN_USER))
                        || !Certificates.subjectValues(certificate, BCStyle.O).contains(MASTERS_GROUP)) {
                    return Optional.of("subject is not CN=" + ADMIN_USER + ", O=" + MASTERS_GROUP);
                }
            }
            return Optional.empty();
        }

        private ServiceAccountKey loadOrCreateServiceAccountKey() throws IOException {
            Path keyFile = directory.resolve(SERVICE_ACCOUNT_KEY);
            Path publicFile = directory.resolve(SERVICE_ACCOUNT_PUBLIC_KEY);
            ServiceAccountKey key;
            if (Files.exists(keyFile)) {
                PrivateKey privateKey = loadPrivateKey(keyFile);
                if (!(privateKey instanceof RSAPrivateCrtKey rsa)) {
                    throw new IOException(keyFile + " is not an RSA private key with public parameters");
                }
                key = ServiceAccountKey.of(rsa, publicKeyOf(rsa));
            } else {
                KeyPair keys = Certificates.newRsaKeyPair(random);
                key = ServiceAccountKey.of((RSAPrivateKey) keys.getPrivate(), (RSAPublicKey) keys.getPublic());
                SecureFiles.writeAtomically(keyFile, key.privateKeyPem(), true);
                generated.add(Material.SERVICE_ACCOUNT_KEY);
                LOG.info("Created ServiceAccount signing key {}", keyFile);
            }
            if (!publicKeyFileMatches(publicFile, key.publicKey())) {
                SecureFiles.writeAtomically(publicFile, key.publicKeyPem(), false);
            }
            return key;
        }

        private static boolean publicKeyFileMatches(Path file, PublicKey expected) {
            if (!Files.exists(file)) {
                return false;
            }
            try {
                return Pem.parsePublicKey(SecureFiles.read(file)).equals(expected);
            } catch (IOException e) {
                return false;
            }
        }

        private static RSAPublicKey publicKeyOf(RSAPrivateCrtKey key) throws IOException {
            try {
                return (RSAPublicKey) KeyFactory.getInstance("RSA")
                        .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot derive the public key: " + e.getMessage(), e);
            }
        }

        /** Reads a private key, first narrowing the file to 0600 if others could read it. */
        private static PrivateKey loadPrivateKey(Path file) throws IOException {
            if (SecureFiles.restrictToOwner(file)) {
                LOG.warn("{} was readable by others; its mode is now 0600", file);
            }
            try {
                return Pem.parsePrivateKey(readFile(file));
            } catch (IOException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        }

        private static X509Certificate loadCertificate(Path file) throws IOException {
            try {
                return Pem.parseCertificate(readFile(file));
            } catch (IOException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        }

        private static String readFile(Path file) throws IOException {
            return SecureFiles.read(file);
        }
    }
}
