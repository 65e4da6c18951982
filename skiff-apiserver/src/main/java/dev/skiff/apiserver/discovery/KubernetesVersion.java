package dev.skiff.apiserver.discovery;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code GET /version} document ({@code version.Info}): which Kubernetes version Skiff speaks.
 *
 * <p>{@code gitVersion} is {@code v1.32.0} with Skiff's own version as semver <em>build metadata</em>
 * ({@code v1.32.0+skiff.0.1.0}), the convention of distributions such as k3s. Build metadata, unlike a pre-release
 * suffix, does not lower the version's precedence: kubectl's skew check
 * ({@code version.ParseSemantic}) reads 1.32, and Helm's {@code kubeVersion: ">=1.19.0"} constraints match (a
 * {@code -skiff} pre-release would fail them). {@code goVersion} and {@code compiler} honestly name the JVM; no
 * client interprets them. Immutable.
 *
 * @param major        "1"
 * @param minor        "32"
 * @param gitVersion   e.g. "v1.32.0+skiff.0.1.0"
 * @param gitCommit    the commit Skiff was built from, "" if unknown
 * @param gitTreeState "clean" or "dirty"
 * @param buildDate    RFC 3339, e.g. "2025-01-01T00:00:00Z"
 * @param goVersion    the runtime, e.g. "java21.0.5" (upstream: the Go version)
 * @param compiler     "javac" (upstream: "gc")
 * @param platform     "os/arch" in Go's names, e.g. "linux/amd64"
 */
public record KubernetesVersion(String major, String minor, String gitVersion, String gitCommit,
        String gitTreeState, String buildDate, String goVersion, String compiler, String platform) {

    /** The Kubernetes release whose API Skiff serves. */
    public static final String KUBERNETES_VERSION = "v1.32.0";

    private static final Pattern NOT_SEMVER_IDENTIFIER = Pattern.compile("[^0-9A-Za-z.-]");

    public KubernetesVersion {
        Objects.requireNonNull(major, "major");
        Objects.requireNonNull(minor, "minor");
        Objects.requireNonNull(gitVersion, "gitVersion");
        Objects.requireNonNull(gitCommit, "gitCommit");
        Objects.requireNonNull(gitTreeState, "gitTreeState");
        Objects.requireNonNull(buildDate, "buildDate");
        Objects.requireNonNull(goVersion, "goVersion");
        Objects.requireNonNull(compiler, "compiler");
        Objects.requireNonNull(platform, "platform");
    }

    /**
     * The version document of a Skiff build.
     *
     * @param skiffVersion Skiff's version, e.g. "0.1.0-SNAPSHOT"; characters semver forbids become '-'
     * @param gitCommit    the commit, "" if unknown
     * @param buildDate    when it was built
     */
    public static KubernetesVersion skiff(String skiffVersion, String gitCommit, Instant buildDate) {
        String metadata = NOT_SEMVER_IDENTIFIER.matcher(skiffVersion).replaceAll("-");
        while (metadata.contains("..")) {
            metadata = metadata.replace("..", ".");
        }
        metadata = metadata.replaceAll("^\\.+|\\.+$", "");
        String gitVersion = KUBERNETES_VERSION + "+skiff" + (metadata.isEmpty() ? "" : "." + metadata);
        return new KubernetesVersion("1", "32", gitVersion, gitCommit, "clean",
                buildDate.truncatedTo(ChronoUnit.SECONDS).toString(), "java" + Runtime.version(), "javac",
                platform(System.getProperty("os.name", "linux"), System.getProperty("os.arch", "amd64")));
    }

    /** Go's "os/arch" for a JVM's {@code os.name} and {@code os.arch}. */
    static String platform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            os = "darwin";
        } else if (os.startsWith("windows")) {
            os = "windows";
        } else if (os.startsWith("linux")) {
            os = "linux";
        }
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            default -> osArch.toLowerCase(Locale.ROOT);
        };
        return os + "/" + arch;
    }

    /** The JSON document, fields in upstream's order. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("major", major);
        node.put("minor", minor);
        node.put("gitVersion", gitVersion);
        node.put("gitCommit", gitCommit);
        node.put("gitTreeState", gitTreeState);
        node.put("buildDate", buildDate);
        node.put("goVersion", goVersion);
        node.put("compiler", compiler);
        node.put("platform", platform);
        return node;
    }
}
