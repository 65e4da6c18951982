/**
 * Container images without Docker, in the formats of the Open Container Initiative.
 *
 * <ul>
 *   <li>this package: the values every part shares: {@link dev.skiff.image.Digest} (content addresses),
 *       {@link dev.skiff.image.ImageReference} ({@code host:port/repo:tag}) and the OCI media types;</li>
 *   <li>{@link dev.skiff.image.build}: files to a gzip layer, the image config and the manifest, written as an OCI
 *       image layout (directory or tar archive), plus the busybox root filesystem the tests and examples use;</li>
 *   <li>{@link dev.skiff.image.registry}: a client of the OCI distribution API (push, pull, tags, auth);</li>
 *   <li>{@link dev.skiff.image.local}: a supervisor for a local distribution registry ({@code docker-registry}).</li>
 * </ul>
 *
 * <p>Nothing here depends on Kubernetes or on the rest of Skiff: the node's runtime pulls what this module pushes.
 */
package dev.skiff.image;
