package dev.skiff.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content address as OCI and the distribution API spell it: {@code sha256:} and 64 lowercase hex digits.
 *
 * <p>Only sha256 is produced and accepted: it is the algorithm the OCI image spec requires implementations to
 * support and the one every registry and containerd use by default.
 */
public record Digest(String hex) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    public static final String ALGORITHM = "sha256";

    public Digest {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("not a sha256 digest (64 lowercase hex digits): " + hex);
        }
    }

    /** Parses {@code sha256:<hex>}. */
    public static Digest parse(String text) {
        if (text == null || !text.startsWith(ALGORITHM + ":")) {
            throw new IllegalArgumentException("not a sha256 digest (sha256:<64 hex digits>): " + text);
        }
        return new Digest(text.substring(ALGORITHM.length() + 1));
    }

    /** The digest of {@code bytes}. */
    public static Digest of(byte[] bytes) {
        MessageDigest sha = newSha256();
        return new Digest(HexFormat.of().formatHex(sha.digest(bytes)));
    }

    /** The digest a finished {@link MessageDigest} (sha256) holds; it is reset. */
    public static Digest of(MessageDigest finished) {
        return new Digest(HexFormat.of().formatHex(finished.digest()));
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** {@code sha256:<hex>}. */
    @Override
    public String toString() {
        return ALGORITHM + ":" + hex;
    }
}
