/**
 * The cluster's public key infrastructure: the CA, the API server's serving certificate, the admin client
 * certificate, the ServiceAccount signing key ({@link dev.skiff.apiserver.pki.ClusterPki}) and the admin kubeconfig
 * ({@link dev.skiff.apiserver.pki.Kubeconfig}).
 *
 * <p>On the first start of {@code skiff server --data-dir DIR} the server calls
 * {@link dev.skiff.apiserver.pki.ClusterPki#loadOrCreate} on its PKI directory and writes {@code DIR/kubeconfig}; later
 * starts load the same material, so every kubeconfig and token handed out keeps working. Client certificates that
 * TLS handshakes present are mapped to users and groups by
 * {@link dev.skiff.apiserver.pki.ClusterPki#verifyClient}.
 *
 * <p>BouncyCastle builds certificates and parses PEM; keys, signatures and path validation use the JDK's providers.
 * No security provider is registered globally. Everything here is immutable or stateless, hence thread-safe.
 */
package dev.skiff.apiserver.pki;
