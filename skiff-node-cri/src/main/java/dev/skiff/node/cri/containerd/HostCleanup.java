package dev.skiff.node.cri.containerd;

import dev.skiff.node.cri.net.HostCommands;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Removes what containerd and runc leave on the host after their daemon stopped: mounts, cgroups, directories. */
final class HostCleanup {

    private HostCleanup() {
    }

    /**
     * Lazily unmounts every mount point under {@code dir}, deepest first (overlay rootfs and shm mounts of sandboxes
     * that were not removed cleanly).
     */
    static List<String> unmountUnder(Path dir) {
        List<String> problems = new ArrayList<>();
        String prefix = dir.toString() + "/";
        List<String> points = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                if (fields.length > 4) {
                    // mountinfo escapes spaces as \040; our paths have none.
                    String point = fields[4];
                    if (point.startsWith(prefix)) {
                        points.add(point);
                    }
                }
            }
        } catch (IOException e) {
            return List.of("reading mountinfo: " + e.getMessage());
        }
        points.sort(Comparator.comparingInt(String::length).reversed());
        for (String point : points) {
            HostCommands.Outcome outcome = HostCommands.run(List.of("umount", "-l", point));
            if (!outcome.ok()) {
                problems.add("umount " + point + ": " + outcome.output());
            }
        }
        return problems;
    }

    /** Removes the cgroup {@code parent} (and its children) from every cgroup v1 hierarchy and the v2 one. */
    static List<String> removeCgroups(String parent) {
        List<String> problems = new ArrayList<>();
        Path root = Path.of("/sys/fs/cgroup");
        List<Path> hierarchies = new ArrayList<>();
        hierarchies.add(root);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            dirs.forEach(hierarchies::add);
        } catch (IOException e) {
            return List.of("listing cgroups: " + e.getMessage());
        }
        String relative = parent.startsWith("/") ? parent.substring(1) : parent;
        for (Path hierarchy : hierarchies) {
            Path group = hierarchy.resolve(relative);
            if (!Files.isDirectory(group) || Files.isSymbolicLink(hierarchy)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(group)) {
                // cgroup directories hold only kernel files: rmdir works on them once their children are gone.
                for (Path dir : walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                    try {
                        Files.delete(dir);
                    } catch (IOException e) {
                        problems.add("cgroup " + dir + ": " + e.getMessage());
                    }
                }
            } catch (IOException e) {
                problems.add("cgroup " + group + ": " + e.getMessage());
            }
        }
        return problems;
    }

    /** Deletes a directory tree without following symbolic links. */
    static List<String> deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    problems.add("delete " + path + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            problems.add("delete " + dir + ": " + e.getMessage());
        }
        return problems.size() > 3 ? List.of(problems.getFirst() + " and " + (problems.size() - 1) + " more")
                : problems;
    }
}
