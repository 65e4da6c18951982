package dev.skiff.image.build;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One entry of a root filesystem, at a path relative to the root ({@code bin/sh}, never with a leading slash).
 * A closed set: what a container image layer needs (hard links, devices and FIFOs are left out: runc creates the
 * devices a container gets).
 */
public sealed interface FileEntry permits FileEntry.Directory, FileEntry.RegularFile, FileEntry.Symlink {

    /** The path relative to the root, with {@code /} separators and no {@code .} or {@code ..} components. */
    String path();

    /** Permission bits, including setuid/setgid/sticky (e.g. {@code 01777} for /tmp). */
    int mode();

    int uid();

    int gid();

    /** A directory. */
    record Directory(String path, int mode, int uid, int gid) implements FileEntry {
        public Directory {
            path = Paths.normalize(path);
        }

        public static Directory of(String path, int mode) {
            return new Directory(path, mode, 0, 0);
        }
    }

    /** A regular file whose content comes from {@code content}, {@code size} bytes long. */
    record RegularFile(String path, int mode, int uid, int gid, long size, Content content) implements FileEntry {
        public RegularFile {
            path = Paths.normalize(path);
            if (size < 0) {
                throw new IllegalArgumentException("negative size for " + path);
            }
        }

        /** A file holding {@code data}, owned by root. */
        public static RegularFile of(String path, int mode, byte[] data) {
            byte[] copy = data.clone();
            return new RegularFile(path, mode, 0, 0, copy.length, () -> new ByteArrayInputStream(copy));
        }

        /** A file whose content is read from {@code source} on the host when the layer is written. */
        public static RegularFile fromHost(String path, int mode, Path source) throws IOException {
            long size = Files.size(source);
            return new RegularFile(path, mode, 0, 0, size, () -> Files.newInputStream(source));
        }
    }

    /** A symbolic link to {@code target} (kept verbatim: absolute or relative). */
    record Symlink(String path, String target, int uid, int gid) implements FileEntry {
        public Symlink {
            path = Paths.normalize(path);
            if (target == null || target.isEmpty()) {
                throw new IllegalArgumentException("empty symlink target for " + path);
            }
        }

        public static Symlink of(String path, String target) {
            return new Symlink(path, target, 0, 0);
        }

        @Override
        public int mode() {
            return 0777;
        }
    }

    /** Opens a file's content; called once per layer written. */
    @FunctionalInterface
    interface Content {
        InputStream open() throws IOException;
    }

    /** Path rules shared by the entry types. */
    final class Paths {
        private Paths() {}

        static String normalize(String path) {
            if (path == null) {
                throw new IllegalArgumentException("null path");
            }
            String p = path;
            while (p.startsWith("/")) {
                p = p.substring(1);
            }
            while (p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            }
            if (p.startsWith("./")) {
                p = p.substring(2);
            }
            if (p.isEmpty()) {
                throw new IllegalArgumentException("the root itself is not an entry: \"" + path + "\"");
            }
            for (String part : p.split("/", -1)) {
                if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                    throw new IllegalArgumentException("invalid path in a root filesystem: \"" + path + "\"");
                }
            }
            return p;
        }

        /** The parent directory of a normalized path, or {@code null} at the top. */
        static String parent(String normalized) {
            int slash = normalized.lastIndexOf('/');
            return slash < 0 ? null : normalized.substring(0, slash);
        }
    }
}
