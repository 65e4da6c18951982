package dev.skiff.node.stats;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** What the kubelet's {@code du} of a directory answers, from Java: the bytes of the files under it. */
public final class DiskUsage {

    private DiskUsage() {
    }

    /**
     * The bytes of the regular files under {@code dir} (0 when it does not exist), not following symbolic links (an
     * atomic writer's {@code ..data} link would count every file twice). File sizes, not allocated blocks: a sparse
     * file counts at its length. Files that vanish during the walk are skipped. Blocks on the file system.
     */
    public static long bytesUnder(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        long[] total = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        total[0] += attrs.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // what was counted so far
        }
        return total[0];
    }
}
