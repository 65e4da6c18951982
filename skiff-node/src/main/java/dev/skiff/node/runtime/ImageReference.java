package dev.skiff.node.runtime;

/**
 * Normalises image references the way containerd and the kubelet read them, so that {@code busybox},
 * {@code docker.io/library/busybox} and {@code docker.io/library/busybox:latest} name one cached image: a reference
 * without a registry host is on {@code docker.io}, one-segment Docker Hub names are under {@code library/}, and a
 * reference without tag or digest means {@code :latest}. The first path segment is a host when it has a dot or a
 * colon or is {@code localhost} (the distribution reference grammar's rule).
 */
public final class ImageReference {

    private ImageReference() {
    }

    /** The fully qualified form of {@code reference}. */
    public static String normalize(String reference) {
        String ref = reference.strip();
        String host;
        String rest;
        int slash = ref.indexOf('/');
        String first = slash < 0 ? "" : ref.substring(0, slash);
        if (slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"))) {
            host = first;
            rest = ref.substring(slash + 1);
        } else {
            host = "docker.io";
            rest = ref;
        }
        if (host.equals("docker.io") && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        boolean hasDigest = rest.contains("@");
        int lastSlash = rest.lastIndexOf('/');
        boolean hasTag = rest.indexOf(':', lastSlash + 1) >= 0;
        if (!hasDigest && !hasTag) {
            rest = rest + ":latest";
        }
        return host + "/" + rest;
    }

    /** The registry host of {@code reference} ({@code docker.io} when it names none). */
    public static String registry(String reference) {
        String normalized = normalize(reference);
        return registryHost(normalized.substring(0, normalized.indexOf('/')));
    }

    /**
     * A registry as credentials name it, reduced to the host a reference would name: Docker config keys may be URLs
     * ({@code https://index.docker.io/v1/}), and Docker Hub has several host names, all meaning {@code docker.io}.
     */
    public static String registryHost(String registry) {
        String host = registry.replaceFirst("^[a-zA-Z]+://", "");
        int slash = host.indexOf('/');
        host = slash < 0 ? host : host.substring(0, slash);
        return host.equals("index.docker.io") || host.equals("registry-1.docker.io") ? "docker.io" : host;
    }
}
