/**
 * A local OCI registry: the distribution registry ({@code docker-registry}, Debian package of the same name)
 * supervised as a child process.
 *
 * <p>{@link dev.skiff.image.local.LocalRegistry} writes the registry's own {@code config.yml} under a data
 * directory (filesystem storage there, {@code 127.0.0.1} and a chosen or free port, optionally htpasswd Basic auth
 * with bcrypt entries written by {@link dev.skiff.image.local.Htpasswd}), starts it, waits until {@code /v2/}
 * answers, records its address in the data directory (so {@code skiff image build --push} finds the server's
 * registry), and stops it by its process id.
 */
package dev.skiff.image.local;
