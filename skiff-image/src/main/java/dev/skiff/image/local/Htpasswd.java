package dev.skiff.image.local;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * An htpasswd file for the distribution registry's {@code htpasswd} auth: one {@code user:hash} line per user.
 * The registry only accepts bcrypt hashes ({@code $2y$}/{@code $2a$}), so that is what is written (cost 10, as
 * {@code htpasswd -B} uses by default).
 */
public final class Htpasswd {

    private static final int COST = 10;

    private Htpasswd() {}

    /** The file's content for {@code users} (name to password), one line per user in name order. */
    public static String render(Map<String, String> users, SecureRandom random) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> user : new TreeMap<>(users).entrySet()) {
            if (user.getKey().isEmpty() || user.getKey().contains(":") || user.getKey().contains("\n")) {
                throw new IllegalArgumentException("invalid registry user name \"" + user.getKey() + "\"");
            }
            byte[] salt = new byte[16];
            random.nextBytes(salt);
            String hash = OpenBSDBCrypt.generate("2y", user.getValue().getBytes(StandardCharsets.UTF_8), salt, COST);
            out.append(user.getKey()).append(':').append(hash).append('\n');
        }
        return out.toString();
    }
}
