package dev.skiff.image;

import java.util.regex.Pattern;

/**
 * An image reference {@code [host[:port]/]repository[:tag][@digest]}, following the distribution reference
 * grammar: the first path component is a registry host only if it contains a dot or a colon or is
 * {@code localhost}; repository components are lowercase alphanumerics joined by {@code .}, {@code _}, {@code __} or
 * dashes; a tag is at most 128 word characters, dots and dashes, not starting with either.
 *
 * @param registry the registry host and port, or {@code null} when the reference names none
 * @param repository the repository path, e.g. {@code library/busybox}
 * @param tag the tag, or {@code null} when the reference is by digest only
 * @param digest the digest, or {@code null}
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("\\w[\\w.-]{0,127}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]+)?|\\[[0-9a-fA-F:]+](?::[0-9]+)?");
    public static final String DEFAULT_TAG = "latest";

    public ImageReference {
        if (repository == null || repository.isEmpty()) {
            throw new IllegalArgumentException("an image reference needs a repository name");
        }
        for (String component : repository.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException("invalid repository name \"" + repository
                        + "\": components must be lowercase letters and digits separated by '.', '_' or '-'");
            }
        }
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("invalid tag \"" + tag
                    + "\": at most 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'");
        }
        if (registry != null && !HOST.matcher(registry).matches()) {
            throw new IllegalArgumentException("invalid registry host \"" + registry + "\"");
        }
        if (tag == null && digest == null) {
            tag = DEFAULT_TAG;
        }
    }

    /** Parses a reference; a missing tag (and digest) means {@code latest}. */
    public static ImageReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty image reference");
        }
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Digest.parse(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        String registry = null;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        return new ImageReference(registry, rest, tag, digest);
    }

    /** The same reference on {@code newRegistry} (host:port). */
    public ImageReference withRegistry(String newRegistry) {
        return new ImageReference(newRegistry, repository, tag, digest);
    }

    /** The tag or, for a reference by digest, the digest: what the manifest endpoint takes. */
    public String manifestReference() {
        return digest != null ? digest.toString() : tag;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (registry != null) {
            b.append(registry).append('/');
        }
        b.append(repository);
        if (tag != null) {
            b.append(':').append(tag);
        }
        if (digest != null) {
            b.append('@').append(digest);
        }
        return b.toString();
    }
}
