package dev.skiff.image.build;

import dev.skiff.image.Digest;

/**
 * A written layer: the compressed blob (what registries store and manifests name) and the digest of the
 * uncompressed tar, its {@code diff_id} (what the image config's {@code rootfs.diff_ids} lists and what containerd
 * checks after unpacking).
 */
public record Layer(Blob blob, Digest diffId) {}
