package dev.skiff.image.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The files of one layer, by path. A later entry at the same path replaces the earlier one (as a later layer
 * would); missing parent directories are added (mode 0755, root) when the layer is written, because tar readers
 * such as containerd's create them with default modes otherwise and the result would depend on the reader.
 *
 * <p>Not thread-safe: build it on one thread, then hand it to {@link LayerWriter}.
 */
public final class Rootfs {

    private final TreeMap<String, FileEntry> entries = new TreeMap<>();

    /** Adds or replaces an entry. */
    public Rootfs add(FileEntry entry) {
        entries.put(entry.path(), entry);
        return this;
    }

    public Rootfs addAll(Collection<? extends FileEntry> more) {
        more.forEach(this::add);
        return this;
    }

    /** Adds {@code other}'s entries, replacing any at the same paths. */
    public Rootfs addAll(Rootfs other) {
        return addAll(other.entries.values());
    }

    public Rootfs directory(String path, int mode) {
        return add(FileEntry.Directory.of(path, mode));
    }

    public Rootfs file(String path, int mode, byte[] content) {
        return add(FileEntry.RegularFile.of(path, mode, content));
    }

    public Rootfs file(String path, int mode, String content) {
        return file(path, mode, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public Rootfs symlink(String path, String target) {
        return add(FileEntry.Symlink.of(path, target));
    }

    /** Whether an entry exists at {@code path}. */
    public boolean contains(String path) {
        return entries.containsKey(FileEntry.Paths.normalize(path));
    }

    public int size() {
        return entries.size();
    }

    /**
     * The entries to write, in path order, with every missing parent directory added before its children.
     */
    public List<FileEntry> entries() {
        TreeMap<String, FileEntry> all = new TreeMap<>(entries);
        for (String path : entries.keySet()) {
            for (String parent = FileEntry.Paths.parent(path); parent != null;
                    parent = FileEntry.Paths.parent(parent)) {
                all.putIfAbsent(parent, FileEntry.Directory.of(parent, 0755));
            }
        }
        // Sorting by path string puts "a/b" after "a" and "a-b"; every parent still precedes its children.
        return new ArrayList<>(all.values());
    }

    /** The total content size of the regular files, for progress reporting. */
    public long contentBytes() {
        return entries.values().stream()
                .mapToLong(e -> e instanceof FileEntry.RegularFile f ? f.size() : 0)
                .sum();
    }

    /**
     * The files under {@code dir} on the host, at the same relative paths, with their permission bits. Symbolic
     * links are kept as links (not followed). Owners become root: like {@code COPY} in a Dockerfile, which does not
     * carry host users into the image.
     */
    public static Rootfs fromDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("not a directory: " + dir);
        }
        Rootfs rootfs = new Rootfs();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    if (!d.equals(dir)) {
                        rootfs.add(FileEntry.Directory.of(relative(dir, d), mode(d)));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    String rel = relative(dir, f);
                    if (attrs.isSymbolicLink()) {
                        rootfs.add(FileEntry.Symlink.of(rel, Files.readSymbolicLink(f).toString()));
                    } else if (attrs.isRegularFile()) {
                        rootfs.add(FileEntry.RegularFile.fromHost(rel, mode(f), f));
                    }
                    // Sockets, FIFOs and devices have no place in an image layer: skipped.
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return rootfs;
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    static int mode(Path p) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        int mode = 0;
        for (PosixFilePermission perm : perms) {
            mode |= switch (perm) {
                case OWNER_READ -> 0400;
                case OWNER_WRITE -> 0200;
                case OWNER_EXECUTE -> 0100;
                case GROUP_READ -> 040;
                case GROUP_WRITE -> 020;
                case GROUP_EXECUTE -> 010;
                case OTHERS_READ -> 04;
                case OTHERS_WRITE -> 02;
                case OTHERS_EXECUTE -> 01;
            };
        }
        Object unixMode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if (unixMode instanceof Integer m) {
            mode |= m & 07000; // setuid, setgid, sticky
        }
        return mode;
    }
}
