package dev.skiff.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/**
 * What was built: the project version and, when known, the git commit it was built from.
 *
 * <p>Both come from {@code build-info.properties}, which Maven filters at build time (the {@code ./skiff} launcher
 * passes the commit). If the file is missing or unfiltered, the version falls back to the jar manifest's
 * {@code Implementation-Version}, then to {@code "unknown"}.
 */
record BuildInfo(String version, Optional<String> gitCommit) {

    static final String RESOURCE = "build-info.properties";

    BuildInfo {
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("version must not be blank");
        }
        gitCommit = gitCommit.filter(c -> !c.isBlank());
    }

    /** Reads the build information of the running Skiff. */
    static BuildInfo load() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        String version = filtered(properties.getProperty("version"))
                .or(() -> filtered(BuildInfo.class.getPackage().getImplementationVersion()))
                .orElse("unknown");
        return new BuildInfo(version, filtered(properties.getProperty("git.commit")));
    }

    /** The one-line description printed by {@code skiff version} and {@code skiff --version}. */
    String describe(String javaVersion) {
        String git = gitCommit.map(c -> "git " + c + ", ").orElse("");
        return "skiff " + version + " (" + git + "java " + javaVersion + ")";
    }

    /** A value that Maven actually substituted: present, not blank and not a left-over {@code ${...}}. */
    private static Optional<String> filtered(String value) {
        if (value == null || value.isBlank() || value.contains("${")) {
            return Optional.empty();
        }
        return Optional.of(value.trim());
    }
}
