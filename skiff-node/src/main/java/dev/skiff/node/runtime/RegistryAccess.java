package dev.skiff.node.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How to reach the registries a pod (or an image cache) names in ECI's annotations
 * {@code k8s.aliyun.com/plain-http-registry} (pull over HTTP) and {@code k8s.aliyun.com/insecure-registry} (HTTPS
 * without verifying the certificate, for self-signed registries). Each value is a comma-separated list of registry
 * addresses, optionally with a port and with {@code *} globs in host parts, e.g.
 * {@code "harbor*.pre.com,192.168.1.2:5000,reg*.test.com:80"}. An address without a port covers the host on any port;
 * one with a port only that port, and for plain HTTP {@code :80} also covers the host written without a port (its
 * implied HTTP port). Registries named by neither are reached as the runtime is configured (HTTPS by default).
 *
 * @param plainHttp patterns of registries pulled over plain HTTP
 * @param insecure  patterns of registries pulled over HTTPS without certificate verification
 */
public record RegistryAccess(List<String> plainHttp, List<String> insecure) {

    public static final String PLAIN_HTTP_ANNOTATION = "k8s.aliyun.com/plain-http-registry";
    public static final String INSECURE_ANNOTATION = "k8s.aliyun.com/insecure-registry";
    public static final RegistryAccess DEFAULT = new RegistryAccess(List.of(), List.of());

    /** The transport of one registry. A closed set: the two annotations and the runtime's own configuration. */
    public enum Mode {
        /** As the runtime is configured (HTTPS with verification unless it says otherwise). */
        DEFAULT,
        /** {@code http://}: the plain-http annotation named the registry. */
        PLAIN_HTTP,
        /** {@code https://} without certificate verification: the insecure annotation named it. */
        INSECURE
    }

    public RegistryAccess {
        plainHttp = plainHttp == null ? List.of() : List.copyOf(plainHttp);
        insecure = insecure == null ? List.of() : List.copyOf(insecure);
    }

    /** The access the annotations ask for (blank entries ignored); {@link #DEFAULT} when they name nothing. */
    public static RegistryAccess fromAnnotations(Map<String, String> annotations) {
        if (annotations == null) {
            return DEFAULT;
        }
        return new RegistryAccess(entries(annotations.get(PLAIN_HTTP_ANNOTATION)),
                entries(annotations.get(INSECURE_ANNOTATION)));
    }

    private static List<String> entries(String value) {
        if (value == null) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(ImageReference::registryHost).toList();
    }

    /**
     * The transport for {@code registry} (host with optional port, as {@link ImageReference#registry} gives it).
     * Plain HTTP wins when both annotations name it: a registry that speaks HTTP cannot be reached over TLS anyway.
     */
    public Mode modeFor(String registry) {
        if (covers(plainHttp, registry, "80")) {
            return Mode.PLAIN_HTTP;
        }
        if (covers(insecure, registry, "443")) {
            return Mode.INSECURE;
        }
        return Mode.DEFAULT;
    }

    private static boolean covers(List<String> patterns, String registry, String impliedPort) {
        String[] target = RegistryKeyring.splitPort(registry);
        for (String pattern : patterns) {
            String[] p = RegistryKeyring.splitPort(pattern);
            boolean match = p[1].isEmpty()
                    // no port in the annotation: the host on whatever port the reference names
                    ? RegistryKeyring.matches(p[0], target[0])
                    : RegistryKeyring.matches(pattern, registry)
                            // the scheme's implied port written out in the annotation, none in the reference
                            || (target[1].isEmpty() && p[1].equals(impliedPort)
                                    && RegistryKeyring.matches(p[0], target[0]));
            if (match) {
                return true;
            }
        }
        return false;
    }
}
