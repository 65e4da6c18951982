package dev.skiff.image.registry;

import dev.skiff.image.Digest;

/**
 * A manifest as a registry returned it: the exact bytes (whose digest is the manifest's identity), the media type
 * from {@code Content-Type}, and the digest the client computed over the bytes.
 */
public record Manifest(String mediaType, Digest digest, byte[] bytes) {

    public Manifest {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }
}
