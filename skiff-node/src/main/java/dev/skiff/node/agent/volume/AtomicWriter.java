package dev.skiff.node.agent.volume;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a set of files into a volume directory so a reader never sees a mix of old and new contents, with the
 * kubelet's atomic-writer layout ({@code pkg/volume/util/atomic_writer.go}):
 * <pre>
 *   volume/..2026_11_23_14_48_35.123456789/key   the files of one version
 *   volume/..data -> ..2026_11_23_14_48_35.123456789
 *   volume/key    -> ..data/key                  one link per top-level entry
 * </pre>
 * A new version goes into a fresh timestamped directory; {@code ..data} is then swapped by renaming a new link over
 * it (atomic), the per-key links are added or removed, and the old directory is deleted. Containers mount the
 * volume directory itself, so they follow {@code ..data} to the new files. Not thread-safe per directory: the
 * volume manager serialises writes of one pod.
 */
public final class AtomicWriter {

    static final String DATA = "..data";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss.SSSSSSSSS")
            .withZone(ZoneOffset.UTC);

    private final Clock clock;

    public AtomicWriter(Clock clock) {
        this.clock = clock;
    }

    /**
     * Makes {@code dir} hold exactly {@code files} (relative paths without {@code ..} segments).
     *
     * @return whether anything changed (an unchanged payload writes nothing, as upstream)
     */
    public boolean write(Path dir, Map<String, Payload> files) throws IOException {
        for (String path : files.keySet()) {
            checkPath(path);
        }
        Files.createDirectories(dir);
        Path data = dir.resolve(DATA);
        if (Files.exists(data) && current(data).equals(files)) {
            return false;
        }
        Path version = Files.createTempDirectory(dir, ".." + STAMP.format(clock.instant()) + "-");
        for (var e : files.entrySet()) {
            Path file = version.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, e.getValue().data());
            Files.setPosixFilePermissions(file, permissions(e.getValue().mode()));
        }
        // Readable and listable by the container's user, like the kubelet's 0755 version directories.
        Files.setPosixFilePermissions(version, permissions(0755));
        Path old = Files.isSymbolicLink(data) ? dir.resolve(Files.readSymbolicLink(data)) : null;
        Path tmp = dir.resolve("..data_tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, version.getFileName());
        Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        Set<String> top = new HashSet<>();
        for (String path : files.keySet()) {
            top.add(path.split("/", 2)[0]);
        }
        for (String name : top) {
            Path link = dir.resolve(name);
            if (!Files.isSymbolicLink(link)) {
                Files.createSymbolicLink(link, Path.of(DATA, name));
            }
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.startsWith("..") && Files.isSymbolicLink(entry) && !top.contains(name)) {
                    Files.delete(entry);
                }
            }
        }
        if (old != null && !old.equals(version)) {
            deleteTree(old);
        }
        return true;
    }

    /** The payload {@code ..data} points at now. */
    private static Map<String, Payload> current(Path data) throws IOException {
        Path root = data.toRealPath();
        Map<String, Payload> out = new HashMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(root.relativize(p).toString(), new Payload(Files.readAllBytes(p),
                            mode(Files.getPosixFilePermissions(p))));
                }
            }
        }
        return out;
    }

    /** Upstream's validatePath: relative, no {@code ..} element, not starting with {@code ..}. */
    static void checkPath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.startsWith("..")) {
            throw new IllegalArgumentException("invalid path: " + path);
        }
        for (String part : path.split("/")) {
            if (part.equals("..") || part.isEmpty()) {
                throw new IllegalArgumentException("invalid path: " + path);
            }
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < 9; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }

    static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (int bit = 0; bit < 9; bit++) {
            if (permissions.contains(permissions(1 << bit).iterator().next())) {
                mode |= 1 << bit;
            }
        }
        return mode;
    }
}
