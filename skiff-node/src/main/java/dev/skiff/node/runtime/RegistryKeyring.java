package dev.skiff.node.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Chooses the credentials an image pull tries, as the kubelet's credential keyring does: a credential applies when
 * its registry matches the image's registry host part by part, where a part of the credential may be a glob
 * ({@code *.example.com}, {@code registry-?.example.com}), the number of dot-separated parts must be equal, and ports
 * must be equal (a credential without a port matches only a reference without one). Matching credentials are tried
 * most specific first (the keyring orders its keys reverse-lexicographically, so a literal host sorts before the glob
 * that also covers it); the kubelet pulls anonymously only when none matches, and otherwise reports the last error
 * when every matching credential failed. Pure, thread-safe.
 */
public final class RegistryKeyring {

    private RegistryKeyring() {
    }

    /** The credentials for {@code image}'s registry, in the order a pull tries them; empty for an anonymous pull. */
    public static List<RegistryCredential> lookup(String image, List<RegistryCredential> credentials) {
        String target = ImageReference.registry(image);
        List<RegistryCredential> matching = new ArrayList<>();
        for (RegistryCredential c : credentials) {
            if (matches(ImageReference.registryHost(c.registry()), target)) {
                matching.add(c);
            }
        }
        // A stable sort: two credentials for the same key keep the order the pod listed their Secrets in.
        matching.sort(Comparator.comparing((RegistryCredential c) -> ImageReference.registryHost(c.registry()))
                .reversed());
        return List.copyOf(matching);
    }

    /**
     * Whether the registry pattern {@code pattern} (host with optional port, parts may be globs) covers the registry
     * {@code host} (host with optional port, literal).
     */
    public static boolean matches(String pattern, String host) {
        String[] p = splitPort(pattern.toLowerCase(java.util.Locale.ROOT));
        String[] h = splitPort(host.toLowerCase(java.util.Locale.ROOT));
        if (!p[1].equals(h[1])) {
            return false;
        }
        String[] patternParts = p[0].split("\\.", -1);
        String[] hostParts = h[0].split("\\.", -1);
        if (patternParts.length != hostParts.length) {
            return false;
        }
        for (int i = 0; i < patternParts.length; i++) {
            if (!glob(patternParts[i]).matcher(hostParts[i]).matches()) {
                return false;
            }
        }
        return true;
    }

    /** {host, port} with an empty port when none is given; IPv6 literals in brackets keep their colons. */
    static String[] splitPort(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0 || hostPort.lastIndexOf(']') > colon) {
            return new String[] {hostPort, ""};
        }
        return new String[] {hostPort.substring(0, colon), hostPort.substring(colon + 1)};
    }

    /** A glob of one host part: {@code *} any run of characters, {@code ?} one character, the rest literal. */
    private static Pattern glob(String part) {
        StringBuilder regex = new StringBuilder();
        for (char ch : part.toCharArray()) {
            switch (ch) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
