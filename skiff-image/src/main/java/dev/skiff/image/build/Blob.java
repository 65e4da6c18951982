package dev.skiff.image.build;

import dev.skiff.image.Digest;
import java.nio.file.Path;

/**
 * A content-addressed blob of a built image, stored in a file.
 *
 * @param mediaType its OCI media type (what a descriptor names)
 * @param digest the sha256 of the file's bytes
 * @param size the file's length in bytes
 * @param file where the bytes are
 */
public record Blob(String mediaType, Digest digest, long size, Path file) {}
