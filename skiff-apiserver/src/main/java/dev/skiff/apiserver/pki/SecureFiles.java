package dev.skiff.apiserver.pki;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Crash-safe writes of small files: content goes to a temporary file in the same directory (created owner-only),
 * is synced, gets its final permissions and is then renamed over the target, so a reader sees the old file or the
 * new one, never a torn one. On file systems without POSIX permissions the mode is left to the platform.
 * Stateless and thread-safe; concurrent writers of the same target must coordinate themselves (the last rename wins).
 */
final class SecureFiles {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private SecureFiles() {
    }

    /** Writes {@code text} (UTF-8) to {@code target} atomically with mode 0600 ({@code secret}) or 0644. */
    static void writeAtomically(Path target, String text, boolean secret) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Files.createDirectories(directory);
        boolean posix = isPosix(directory);
        // createTempFile makes the file owner-only on POSIX before a byte is written, so a secret is never
        // readable by others, not even half-written.
        Path temporary = Files.createTempFile(directory, "." + absolute.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            if (posix) {
                Files.setPosixFilePermissions(temporary, secret ? OWNER_ONLY : WORLD_READABLE);
            }
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            syncDirectory(directory);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** Creates {@code directory} (mode 0700 when new, on POSIX) if it is missing. */
    static void createPrivateDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        Files.createDirectories(directory);
        if (isPosix(directory)) {
            Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
        }
    }

    /** Narrows a secret file that others can read to 0600; returns whether it changed anything. */
    static boolean restrictToOwner(Path file) throws IOException {
        if (!isPosix(file)) {
            return false;
        }
        Set<PosixFilePermission> current = Files.getPosixFilePermissions(file);
        if (OWNER_ONLY.containsAll(current)) {
            return false;
        }
        Files.setPosixFilePermissions(file, OWNER_ONLY);
        return true;
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Makes the rename durable. Not every platform can open a directory; there the rename is left to the OS. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort only: e.g. Windows cannot open directories as channels.
        }
    }
}
