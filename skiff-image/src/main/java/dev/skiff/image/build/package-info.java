/**
 * Builds OCI images from files, without Docker.
 *
 * <p>{@link dev.skiff.image.build.Rootfs} collects {@link dev.skiff.image.build.FileEntry file entries} (from a
 * host directory, from memory, from Debian packages, or the {@link dev.skiff.image.build.BusyboxRootfs busybox}
 * set); {@link dev.skiff.image.build.LayerWriter} turns them into one reproducible gzip tar layer and computes both
 * of its digests; {@link dev.skiff.image.build.ImageBuilder} adds the image config and the manifest; and
 * {@link dev.skiff.image.build.OciLayout} writes the result as an OCI image layout directory or archive, the format
 * {@code ctr images import}, skopeo and umoci read.
 *
 * <p>Layers are reproducible: entries are written in path order with a fixed modification time and owner, so the
 * same files give the same digests (registries and containerd then share the blob).
 */
package dev.skiff.image.build;
