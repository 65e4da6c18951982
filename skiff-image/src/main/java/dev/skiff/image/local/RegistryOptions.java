package dev.skiff.image.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to start a {@link LocalRegistry}.
 *
 * @param dataDir where the registry keeps its config, storage, log and address file (created if missing)
 * @param port the loopback port to listen on, or 0 for a free one
 * @param users user name to password for htpasswd Basic auth; empty for an open registry
 * @param deleteOnClose whether {@link LocalRegistry#close()} deletes {@code dataDir} (temporary registries)
 * @param token bearer-token auth through an external token server, or null; exclusive with {@code users}
 */
public record RegistryOptions(Path dataDir, int port, Map<String, String> users, boolean deleteOnClose,
        TokenAuth token) {

    public RegistryOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("registry port out of range: " + port);
        }
        users = Map.copyOf(users);
        if (token != null && !users.isEmpty()) {
            throw new IllegalArgumentException("a registry uses either htpasswd users or a token server, not both");
        }
    }

    /** An open registry on a free port keeping its data in {@code dataDir}. */
    public static RegistryOptions of(Path dataDir) {
        return new RegistryOptions(dataDir, 0, Map.of(), false, null);
    }

    public RegistryOptions withPort(int value) {
        return new RegistryOptions(dataDir, value, users, deleteOnClose, token);
    }

    /** Basic auth against an htpasswd file with these users (name to password). */
    public RegistryOptions withUsers(Map<String, String> value) {
        return new RegistryOptions(dataDir, port, value, deleteOnClose, token);
    }

    /** Bearer-token auth: clients fetch tokens from {@code value}'s realm. */
    public RegistryOptions withTokenAuth(TokenAuth value) {
        return new RegistryOptions(dataDir, port, users, deleteOnClose, value);
    }

    public RegistryOptions deletingOnClose() {
        return new RegistryOptions(dataDir, port, users, true, token);
    }

    /**
     * The distribution registry's {@code auth.token} settings: it sends clients to {@code realm} with
     * {@code service}, and accepts JWTs issued by {@code issuer} for audience {@code service}, signed by a key whose
     * certificate is in the PEM file {@code rootCertBundle}.
     */
    public record TokenAuth(String realm, String service, String issuer, Path rootCertBundle) {}
}
