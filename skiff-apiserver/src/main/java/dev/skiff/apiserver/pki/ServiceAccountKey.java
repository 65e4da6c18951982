package dev.skiff.apiserver.pki;

import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;

/**
 * The RSA key pair that signs and verifies ServiceAccount tokens ({@code sa.key} / {@code sa.pub}), as JDK objects
 * and as PEM (PKCS#8 {@code PRIVATE KEY}, X.509 {@code PUBLIC KEY} — the forms kube-apiserver's
 * {@code --service-account-key-file} and {@code --service-account-signing-key-file} read).
 * Immutable and thread-safe. {@link #toString()} never shows the private key.
 *
 * @param privateKey    signs tokens
 * @param publicKey     verifies tokens
 * @param privateKeyPem {@code privateKey} as PEM
 * @param publicKeyPem  {@code publicKey} as PEM
 */
public record ServiceAccountKey(RSAPrivateKey privateKey, RSAPublicKey publicKey, String privateKeyPem,
                                String publicKeyPem) {

    public ServiceAccountKey {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        Objects.requireNonNull(publicKeyPem, "publicKeyPem");
    }

    static ServiceAccountKey of(RSAPrivateKey privateKey, RSAPublicKey publicKey) {
        return new ServiceAccountKey(privateKey, publicKey, Pem.privateKey(privateKey), Pem.publicKey(publicKey));
    }

    /** Both keys as a JDK {@link KeyPair}. Thread-safe. */
    public KeyPair keyPair() {
        return new KeyPair(publicKey, privateKey);
    }

    /** The key size only; never key material. Thread-safe. */
    @Override
    public String toString() {
        return "ServiceAccountKey[RSA " + publicKey.getModulus().bitLength() + "]";
    }
}
