/**
 * A client of the OCI distribution API (the {@code /v2/} HTTP API of registries), over {@code java.net.http}.
 *
 * <p>{@link dev.skiff.image.registry.RegistryClient} speaks the endpoints a push and a verifying pull need: the
 * {@code /v2/} version check, blob existence ({@code HEAD}), uploads (one {@code POST} to open a session, then
 * either one monolithic {@code PUT ?digest=} or {@code PATCH} chunks and a closing {@code PUT}), manifests by tag or
 * digest, blob download, the tag list and the catalog. {@link dev.skiff.image.registry.RegistryAuth} answers
 * {@code WWW-Authenticate} challenges: Basic with the configured credentials, or Bearer through the token endpoint
 * the challenge names (the Docker token protocol that registries and {@code imagePullSecrets} use).
 * {@link dev.skiff.image.registry.ImagePusher} pushes a {@link dev.skiff.image.build.BuiltImage}: blobs the
 * registry already holds are skipped, the manifest goes last.
 */
package dev.skiff.image.registry;
