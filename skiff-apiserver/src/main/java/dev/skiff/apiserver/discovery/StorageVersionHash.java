package dev.skiff.apiserver.discovery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The {@code storageVersionHash} of discovery: base64 of the first 8 bytes of SHA-256 over
 * {@code "group/version/kind"} of the version objects are stored in (core group as ""), exactly as upstream computes
 * it, so clients that compare hashes across servers (the storage-version migrator, some caches) see the values a
 * real cluster would give. Stateless and thread-safe.
 */
public final class StorageVersionHash {

    private StorageVersionHash() {
    }

    /** The hash of objects stored as {@code group/version/kind}; "" when {@code kind} is empty (as upstream). */
    public static String of(String group, String version, String kind) {
        if (kind.isEmpty()) {
            return "";
        }
        byte[] digest = sha256((group + "/" + version + "/" + kind).getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(Arrays.copyOf(digest, 8));
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }
}
