package dev.skiff.node.cri.containerd;

import java.util.List;

/**
 * The host lacks a program the cri runtime needs. The message names what is missing and the exact command that
 * installs it on Debian, so a user can act on it.
 */
public final class MissingHostPackagesException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> packages;

    public MissingHostPackagesException(List<String> missing, List<String> packages) {
        super("missing on this host: " + String.join(", ", missing) + "; install with: " + installCommand(packages));
        this.packages = List.copyOf(packages);
    }

    /** The Debian packages that provide what is missing. */
    public List<String> packages() {
        return packages;
    }

    /** The apt command that installs {@code packages}. */
    public static String installCommand(List<String> packages) {
        return "sudo apt-get install -y " + String.join(" ", packages);
    }
}
