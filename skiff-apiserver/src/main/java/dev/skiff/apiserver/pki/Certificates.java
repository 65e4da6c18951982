package dev.skiff.apiserver.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * Key generation and certificate issuance with BouncyCastle's builders on top of the JDK's providers.
 * Stateless apart from the {@link SecureRandom} handed in; thread-safe.
 *
 * <p>TLS keys are RSA 2048. EC P-256 would be smaller and faster, and Go's crypto/tls, the JDK and OpenSSL (curl,
 * Python's ssl) all accept it, but RSA is what kubeadm issues by default and the one key type every Kubernetes client
 * library reads from a kubeconfig without configuration: fabric8's client, for one, assumes RSA for a PKCS#8
 * {@code client-key-data} unless told otherwise. Generation cost (tens of milliseconds per key) is paid only when
 * material is (re)created.
 */
final class Certificates {

    static final int RSA_BITS = 2048;
    /** Backdating of notBefore so that a client whose clock is a little behind still accepts a fresh certificate. */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    private static final String ANY_PURPOSE = KeyPurposeId.anyExtendedKeyUsage.getId();

    private Certificates() {
    }

    static KeyPair newRsaKeyPair(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS, random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no RSA key generator", e);
        }
    }

    /** A self-signed CA certificate valid from {@code now - BACKDATE} until {@code notAfter}. */
    static X509Certificate selfSignedCa(KeyPair keys, String commonName, Instant now, Instant notAfter,
                                        SecureRandom random) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(random),
                    notBefore(now), notAfter(notAfter), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return sign(builder, keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build CA certificate", e);
        }
    }

    /**
     * A leaf certificate for {@code subjectKey} signed by {@code ca}: not a CA, digital signature and key
     * encipherment, the given extended key usage and, when {@code subjectAlternativeNames} is not empty, those names
     * (each a DNS name or an IP literal).
     */
    static X509Certificate issueLeaf(CertifiedKey ca, PublicKey subjectKey, X500Name subject, Instant now,
                                     Instant notAfter, KeyPurposeId purpose,
                                     Collection<String> subjectAlternativeNames, SecureRandom random) {
        X509Certificate caCertificate = ca.certificate();
        // A leaf never outlives its CA: clients would reject the chain after the CA expires anyway.
        Instant caNotAfter = caCertificate.getNotAfter().toInstant();
        Instant end = notAfter.isAfter(caNotAfter) ? caNotAfter : notAfter;
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate, serial(random),
                    notBefore(now), notAfter(end), subject, subjectKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(subjectKey))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(caCertificate));
            if (!subjectAlternativeNames.isEmpty()) {
                List<GeneralName> names = new ArrayList<>();
                for (String name : subjectAlternativeNames) {
                    names.add(IPAddress.isValid(name)
                            ? new GeneralName(GeneralName.iPAddress, name)
                            : new GeneralName(GeneralName.dNSName, name));
                }
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            return sign(builder, ca.privateKey());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build certificate for " + subject, e);
        }
    }

    /** A subject {@code O=group,...,CN=commonName}: the shape kube-apiserver reads users and groups from. */
    static X500Name subject(String commonName, List<String> organizations) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        for (String organization : organizations) {
            builder.addRDN(BCStyle.O, organization);
        }
        return builder.addRDN(BCStyle.CN, commonName).build();
    }

    /** The values of one attribute type (e.g. CN, O) of a certificate's subject, in order. */
    static List<String> subjectValues(X509Certificate certificate, ASN1ObjectIdentifier type) {
        X500Name name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        List<String> values = new ArrayList<>();
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue value : rdn.getTypesAndValues()) {
                if (value.getType().equals(type)) {
                    values.add(text(value.getValue()));
                }
            }
        }
        return values;
    }

    /** Whether the certificate's extended key usage allows {@code purpose} (absent extension: any purpose). */
    static boolean allowsPurpose(X509Certificate certificate, KeyPurposeId purpose) {
        try {
            List<String> usages = certificate.getExtendedKeyUsage();
            return usages == null || usages.contains(purpose.getId()) || usages.contains(ANY_PURPOSE);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    static boolean isServerCertificate(X509Certificate certificate) {
        return allowsPurpose(certificate, KeyPurposeId.id_kp_serverAuth);
    }

    static boolean isClientCertificate(X509Certificate certificate) {
        return allowsPurpose(certificate, KeyPurposeId.id_kp_clientAuth);
    }

    /** The DNS names (lower case) and IP addresses (canonical text) among a certificate's subject alternative names. */
    static List<String> subjectAlternativeNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
            if (entries == null) {
                return names;
            }
            for (List<?> entry : entries) {
                int type = (Integer) entry.get(0);
                if (type == GeneralName.dNSName || type == GeneralName.iPAddress) {
                    names.add(canonicalName((String) entry.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            // An unreadable extension counts as no names: the certificate will be replaced.
        }
        return names;
    }

    /**
     * A DNS name in lower case without a trailing dot, or an IP literal in the JDK's canonical text (so that
     * {@code ::1} and {@code 0:0:0:0:0:0:0:1} compare equal).
     *
     * @throws IllegalArgumentException if {@code name} is neither
     */
    static String canonicalName(String name) {
        String trimmed = name.trim();
        if (IPAddress.isValid(trimmed)) {
            try {
                // A literal: getByName parses it without any lookup.
                return InetAddress.getByName(trimmed).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bad IP address " + name, e);
            }
        }
        String dns = trimmed.toLowerCase(Locale.ROOT);
        if (dns.endsWith(".")) {
            dns = dns.substring(0, dns.length() - 1);
        }
        if (!dns.matches("(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")
                || dns.length() > 253) {
            throw new IllegalArgumentException("not a DNS name or IP address: '" + name + "'");
        }
        return dns;
    }

    /** Whether {@code privateKey} is the private half of {@code publicKey}: signs a challenge and verifies it. */
    static boolean keysMatch(PrivateKey privateKey, PublicKey publicKey) {
        if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        try {
            String algorithm = signatureAlgorithm(privateKey);
            byte[] challenge = "skiff key pair check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether {@code certificate} carries a valid signature of {@code issuer}'s key. */
    static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** SHA-256 with the signing key's algorithm: RSA for the CA Skiff creates, ECDSA for a CA brought along. */
    private static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
        };
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
            throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm(signingKey)).build(signingKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot create signer: " + e.getMessage(), e);
        }
    }

    /** A positive random serial of at most 20 octets (RFC 5280 section 4.1.2.2). */
    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).setBit(126);
    }

    /** X.509 times have a precision of one second. */
    private static Date notBefore(Instant now) {
        return Date.from(now.minus(BACKDATE).truncatedTo(ChronoUnit.SECONDS));
    }

    private static Date notAfter(Instant notAfter) {
        return Date.from(notAfter.truncatedTo(ChronoUnit.SECONDS));
    }

    private static String text(ASN1Encodable value) {
        return value instanceof ASN1String string ? string.getString() : value.toString();
    }
}
