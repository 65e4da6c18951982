package dev.skiff.node.agent.volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Memory-backed emptyDirs ({@code medium: Memory}): a tmpfs mounted on the volume's directory, sized by the
 * volume's {@code sizeLimit} as the kubelet does since memory-backed volume sizing went GA. Mounting needs root;
 * {@link #available()} says whether this process may, and without it the volume is a plain directory (the agent
 * logs that once per pod). Uses mount(8)/umount(8): no native code in the agent. Thread-safe.
 */
public final class Tmpfs {

    private final boolean enabled;

    /** @param enabled whether to mount tmpfs at all (false in processes that are not root) */
    public Tmpfs(boolean enabled) {
        this.enabled = enabled;
    }

    /** Enabled when this process runs as root (uid 0), read from {@code /proc/self/status}. */
    public static Tmpfs detect() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return new Tmpfs(line.split("\\s+")[1].equals("0"));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc is hidden: no tmpfs.
        }
        return new Tmpfs(false);
    }

    public boolean available() {
        return enabled;
    }

    /** Mounts a tmpfs of at most {@code sizeBytes} (0: the kernel's default, half the RAM) on {@code dir}. */
    void mount(Path dir, long sizeBytes) throws IOException {
        List<String> command = new ArrayList<>(List.of("mount", "-t", "tmpfs", "-o"));
        command.add("mode=0777" + (sizeBytes > 0 ? ",size=" + sizeBytes : ""));
        command.add("tmpfs");
        command.add(dir.toString());
        run(command);
    }

    /** Unmounts {@code dir} if something is mounted on it. */
    void unmount(Path dir) throws IOException {
        if (isMountPoint(dir)) {
            run(List.of("umount", dir.toString()));
        }
    }

    /** Whether {@code dir} is a mount point, from {@code /proc/self/mountinfo} (field 5 is the mount point). */
    static boolean isMountPoint(Path dir) throws IOException {
        Path mountinfo = Path.of("/proc/self/mountinfo");
        if (!Files.exists(mountinfo)) {
            return false;
        }
        String target = dir.toAbsolutePath().normalize().toString();
        for (String line : Files.readAllLines(mountinfo, StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            if (fields.length > 4 && fields[4].replace("\\040", " ").equals(target)) {
                return true;
            }
        }
        return false;
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
