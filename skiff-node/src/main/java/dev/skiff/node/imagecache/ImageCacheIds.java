package dev.skiff.node.imagecache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Image cache ids in ECI's shape ({@code imc-} and 20 lower-case letters and digits), derived from the object's uid
 * so that every builder (and a restarted one) names a cache the same way.
 */
final class ImageCacheIds {

    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

    private ImageCacheIds() {
    }

    static String forUid(String uid) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(uid.getBytes(StandardCharsets.UTF_8));
            StringBuilder id = new StringBuilder("imc-");
            for (int i = 0; i < 20; i++) {
                id.append(ALPHABET.charAt((hash[i] & 0xff) % ALPHABET.length()));
            }
            return id.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
