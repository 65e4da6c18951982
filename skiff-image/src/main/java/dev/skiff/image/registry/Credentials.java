package dev.skiff.image.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and password (or token) for a registry, as a {@code kubernetes.io/dockerconfigjson} secret's
 * {@code auth} field holds them.
 */
public record Credentials(String username, String password) {

    public Credentials {
        if (username == null || username.isEmpty() || username.contains(":")) {
            throw new IllegalArgumentException("a registry user name must be non-empty and contain no ':'");
        }
        if (password == null) {
            throw new IllegalArgumentException("a registry password must not be null");
        }
    }

    /** The value of an {@code Authorization: Basic} header. */
    public String basicHeader() {
        return "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ", password hidden]";
    }
}
