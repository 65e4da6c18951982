package dev.skiff.node.cri.containerd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What the cri runtime needs on the host, and which Debian package provides each piece. */
public final class HostRequirements {

    /** Where Debian's {@code containernetworking-plugins} installs the CNI plugins. */
    public static final Path DEBIAN_CNI_DIR = Path.of("/usr/lib/cni");

    private HostRequirements() {
    }

    /** Throws {@link MissingHostPackagesException} unless containerd, runc, the CNI plugins and ip are present. */
    public static void check(Path cniDir) {
        List<String> missing = new ArrayList<>();
        Set<String> packages = new LinkedHashSet<>();
        if (onPath("containerd") == null) {
            missing.add("containerd");
            packages.add("containerd");
        }
        if (onPath("runc") == null) {
            missing.add("runc");
            packages.add("runc");
        }
        if (!Files.isExecutable(cniDir.resolve("bridge")) || !Files.isExecutable(cniDir.resolve("loopback"))) {
            missing.add("CNI plugins in " + cniDir);
            packages.add("containernetworking-plugins");
        }
        if (onPath("ip") == null) {
            missing.add("ip");
            packages.add("iproute2");
        }
        if (!missing.isEmpty()) {
            throw new MissingHostPackagesException(missing, List.copyOf(packages));
        }
    }

    /** The program's path on {@code PATH} (plus the sbin directories root has), or null. */
    public static Path onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, program);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
