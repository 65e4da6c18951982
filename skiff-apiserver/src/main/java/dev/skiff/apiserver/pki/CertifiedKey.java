package dev.skiff.apiserver.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A certificate with its private key, as JDK objects and as PEM text (certificate: {@code CERTIFICATE}; key:
 * PKCS#8 {@code PRIVATE KEY}). Immutable and thread-safe. {@link #toString()} never shows the key.
 *
 * @param certificate    the X.509 certificate
 * @param privateKey     the private key matching the certificate's public key
 * @param certificatePem the certificate as PEM
 * @param privateKeyPem  the private key as PEM
 */
public record CertifiedKey(X509Certificate certificate, PrivateKey privateKey, String certificatePem,
                           String privateKeyPem) {

    public CertifiedKey {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    }

    static CertifiedKey of(X509Certificate certificate, PrivateKey privateKey) {
        return new CertifiedKey(certificate, privateKey, Pem.certificate(certificate), Pem.privateKey(privateKey));
    }

    /** The subject, serial number and expiry; never key material. Thread-safe. */
    @Override
    public String toString() {
        return "CertifiedKey[subject=" + certificate.getSubjectX500Principal().getName()
                + ", serial=" + certificate.getSerialNumber().toString(16)
                + ", notAfter=" + certificate.getNotAfter().toInstant() + "]";
    }
}
