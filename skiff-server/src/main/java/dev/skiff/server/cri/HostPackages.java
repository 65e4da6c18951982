package dev.skiff.server.cri;

import dev.skiff.node.cri.containerd.HostRequirements;
import dev.skiff.node.cri.containerd.MissingHostPackagesException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code skiff up}'s convenience: when containerd, runc, the CNI plugins or the registry are missing and Skiff runs as root on a
 * Debian-like system, install them with apt (one progress line, output in a log file); otherwise leave the exact
 * command to the caller's error message.
 */
public final class HostPackages {

    private HostPackages() {
    }

    /**
     * Installs what the cri runtime lacks, if it can. Returns normally when everything is present afterwards.
     *
     * @throws MissingHostPackagesException when something is missing and cannot be installed here
     */
    public static void ensure(PrintStream out, Path log) {
        // The local registry (Debian's docker-registry) is installed along with the runtime when absent, but the
        // cluster runs without it (ClusterRegistry says so), so only the runtime's packages are required.
        List<String> optional = HostRequirements.onPath("docker-registry") == null
                ? List.of("docker-registry") : List.of();
        MissingHostPackagesException missing = null;
        try {
            HostRequirements.check(HostRequirements.DEBIAN_CNI_DIR);
        } catch (MissingHostPackagesException e) {
            missing = e;
        }
        if (missing == null && optional.isEmpty()) {
            return;
        }
        List<String> packages = new ArrayList<>(missing == null ? List.of() : missing.packages());
        packages.addAll(optional);
        Path aptGet = HostRequirements.onPath("apt-get");
        if (aptGet == null || !"root".equals(System.getProperty("user.name"))) {
            if (missing != null) {
                throw missing;
            }
            return;
        }
        out.println("skiff: installing " + String.join(" ", packages) + " with apt-get (log: " + log + ")…");
        out.flush();
        if ((!apt(aptGet, List.of("update", "-q"), log) || !apt(aptGet, installArgs(packages), log))
                && missing != null) {
            throw missing;
        }
        HostRequirements.check(HostRequirements.DEBIAN_CNI_DIR);
    }

    private static List<String> installArgs(List<String> packages) {
        List<String> args = new ArrayList<>(List.of("install", "-y", "-q"));
        args.addAll(packages);
        return args;
    }

    private static boolean apt(Path aptGet, List<String> args, Path log) {
        List<String> command = new ArrayList<>();
        command.add(aptGet.toString());
        command.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process process = builder.start();
            process.getOutputStream().close();
            return process.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
