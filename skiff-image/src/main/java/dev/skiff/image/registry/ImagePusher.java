package dev.skiff.image.registry;

import dev.skiff.image.Digest;
import dev.skiff.image.ImageReference;
import dev.skiff.image.Progress;
import dev.skiff.image.build.Blob;
import dev.skiff.image.build.BuiltImage;

/**
 * Pushes a built image: every layer and the config blob (skipping those the repository already holds, found by
 * {@code HEAD}), then the manifest under the reference's tag. The manifest goes last because a registry refuses a
 * manifest whose blobs it lacks ({@code MANIFEST_BLOB_UNKNOWN}). Idempotent: pushing twice re-puts only the
 * manifest.
 *
 * <p>Thread-safe; {@link #push} blocks until the registry accepted the manifest.
 */
public final class ImagePusher {

    /** Blobs larger than this are uploaded in chunks of this size; smaller ones in one request. */
    public static final long DEFAULT_CHUNK_SIZE = 16L * 1024 * 1024;

    private final RegistryClient client;
    private final long chunkSize;

    public ImagePusher(RegistryClient client, long chunkSize) {
        this.client = client;
        this.chunkSize = chunkSize;
    }

    public ImagePusher(RegistryClient client) {
        this(client, DEFAULT_CHUNK_SIZE);
    }

    /** Pushes {@code image} as {@code reference}'s repository and tag; returns the manifest digest. */
    public Digest push(BuiltImage image, ImageReference reference, Progress progress) {
        String repository = reference.repository();
        for (Blob blob : image.contentBlobs()) {
            if (!client.blobExists(repository, blob.digest())) {
                client.uploadBlob(repository, blob, chunkSize, progress);
            }
        }
        byte[] manifest;
        try {
            manifest = java.nio.file.Files.readAllBytes(image.manifest().file());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the manifest " + image.manifest().file(), e);
        }
        return client.putManifest(repository, reference.manifestReference(), image.manifest().mediaType(), manifest);
    }
}
