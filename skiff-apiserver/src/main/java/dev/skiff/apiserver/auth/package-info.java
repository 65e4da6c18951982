/**
 * Authentication of API requests. So far: ServiceAccount tokens
 * ({@link dev.skiff.apiserver.auth.ServiceAccountTokens}), issued for TokenRequests and projected volumes and verified
 * on every request that carries one as a bearer token. Client certificates are verified by
 * {@link dev.skiff.apiserver.pki.ClusterPki#verifyClient}.
 *
 * <p>JWS handling uses Nimbus JOSE+JWT; keys come from {@link dev.skiff.apiserver.pki.ServiceAccountKey}. Records
 * here are immutable and the services are stateless apart from immutable configuration, hence thread-safe.
 */
package dev.skiff.apiserver.auth;
