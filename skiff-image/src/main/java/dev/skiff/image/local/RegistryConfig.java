package dev.skiff.image.local;

import java.nio.file.Path;

/**
 * The distribution registry's {@code config.yml} (configuration version 0.1) for a local registry. Written as text:
 * the document is small and fixed, and every value that comes from outside (paths) is quoted as a YAML
 * double-quoted scalar.
 */
final class RegistryConfig {

    private RegistryConfig() {}

    /**
     * @param storage the filesystem driver's root directory
     * @param address {@code 127.0.0.1:<port>} to listen on
     * @param htpasswd the htpasswd file for Basic auth, or null for none
     * @param secret the key the registry signs upload state with (random per start: uploads do not survive restarts,
     *     which is fine for a local registry)
     */
    static String render(Path storage, String address, Path htpasswd, String secret) {
        StringBuilder y = new StringBuilder();
        y.append("version: 0.1\n");
        y.append("log:\n  level: info\n  formatter: text\n  accesslog:\n    disabled: true\n");
        y.append("storage:\n");
        y.append("  filesystem:\n    rootdirectory: ").append(quote(storage.toAbsolutePath().toString())).append('\n');
        // Deletes let tests and `skiff image` remove what they pushed; the cache would serve stale descriptors
        // across deletes, and a local disk is fast, so it stays off.
        y.append("  delete:\n    enabled: true\n");
        y.append("  maintenance:\n    uploadpurging:\n      enabled: false\n");
        y.append("http:\n  addr: ").append(quote(address)).append('\n');
        y.append("  secret: ").append(quote(secret)).append('\n');
        if (htpasswd != null) {
            y.append("auth:\n  htpasswd:\n    realm: \"skiff-registry\"\n    path: ")
                    .append(quote(htpasswd.toAbsolutePath().toString())).append('\n');
        }
        return y.toString();
    }

    static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
