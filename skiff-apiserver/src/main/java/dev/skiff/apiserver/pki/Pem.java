package dev.skiff.apiserver.pki;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM text to and from JDK objects. Writes the algorithm-neutral forms ({@code CERTIFICATE}, PKCS#8
 * {@code PRIVATE KEY}, X.509 {@code PUBLIC KEY}); reads those plus the legacy OpenSSL forms ({@code RSA PRIVATE KEY},
 * {@code EC PRIVATE KEY}) so that material brought from elsewhere (e.g. a kubeadm CA) loads too.
 * Stateless and thread-safe; uses the JDK's providers only (no provider is registered globally).
 */
final class Pem {

    private static final Base64.Encoder BODY = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private Pem() {
    }

    static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + BODY.encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    static String certificate(X509Certificate certificate) {
        try {
            return encode("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    /** PKCS#8, readable by Go's crypto/tls, OpenSSL (curl, Python's ssl), the JDK, Vert.x and fabric8. */
    static String privateKey(PrivateKey key) {
        return encode("PRIVATE KEY", key.getEncoded());
    }

    static String publicKey(PublicKey key) {
        return encode("PUBLIC KEY", key.getEncoded());
    }

    /** The first certificate in {@code pem}. */
    static X509Certificate parseCertificate(String pem) throws IOException {
        Object object = readFirst(pem);
        if (!(object instanceof X509CertificateHolder holder)) {
            throw new IOException("expected a PEM CERTIFICATE, found " + describe(object));
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (GeneralSecurityException e) {
            throw new IOException("unreadable certificate: " + e.getMessage(), e);
        }
    }

    static PrivateKey parsePrivateKey(String pem) throws IOException {
        Object object = readFirst(pem);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (object instanceof PrivateKeyInfo info) {
            return converter.getPrivateKey(info);
        }
        if (object instanceof PEMKeyPair pair) {
            return converter.getKeyPair(pair).getPrivate();
        }
        if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw new IOException("encrypted private keys are not supported");
        }
        throw new IOException("expected a PEM PRIVATE KEY, found " + describe(object));
    }

    static PublicKey parsePublicKey(String pem) throws IOException {
        Object object = readFirst(pem);
        if (!(object instanceof SubjectPublicKeyInfo info)) {
            throw new IOException("expected a PEM PUBLIC KEY, found " + describe(object));
        }
        return new JcaPEMKeyConverter().getPublicKey(info);
    }

    private static Object readFirst(String pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            if (object == null) {
                throw new IOException("no PEM block found");
            }
            return object;
        } catch (IllegalArgumentException | IllegalStateException e) {
            // BouncyCastle reports some malformed encodings as unchecked exceptions.
            throw new IOException("malformed PEM: " + e.getMessage(), e);
        }
    }

    private static String describe(Object object) {
        return object.getClass().getSimpleName();
    }
}
