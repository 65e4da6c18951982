package dev.skiff.node.runtime;

import java.util.Objects;

/**
 * A user name and password for one registry host, as the node agent resolved them from an
 * {@code imagePullSecrets} Secret ({@code kubernetes.io/dockerconfigjson}). Runtimes never see Secrets.
 *
 * @param registry the registry host (and port) the credential is for, e.g. {@code registry.example:5000}
 */
public record RegistryCredential(String registry, String username, String password) {

    public RegistryCredential {
        Objects.requireNonNull(registry, "registry");
        username = username == null ? "" : username;
        password = password == null ? "" : password;
    }

    /** Keeps the password out of logs and exception messages. */
    @Override
    public String toString() {
        return "RegistryCredential[registry=" + registry + ", username=" + username + "]";
    }
}
