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
 */
public record RegistryOptions(Path dataDir, int port, Map<String, String> users, boolean deleteOnClose) {

    public RegistryOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("registry port out of range: " + port);
        }
        users = Map.copyOf(users);
    }

    /** An open registry on a free port keeping its data in {@code dataDir}. */
    public static RegistryOptions of(Path dataDir) {
        return new RegistryOptions(dataDir, 0, Map.of(), false);
    }

    public RegistryOptions withPort(int value) {
        return new RegistryOptions(dataDir, value, users, deleteOnClose);
    }

    public RegistryOptions withUsers(Map<String, String> value) {
        return new RegistryOptions(dataDir, port, value, deleteOnClose);
    }

    public RegistryOptions deletingOnClose() {
        return new RegistryOptions(dataDir, port, users, true);
    }
}
