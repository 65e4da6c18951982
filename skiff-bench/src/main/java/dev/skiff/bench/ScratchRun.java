package dev.skiff.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * How every benchmark runs: in a fresh directory under the work directory, removed afterwards whatever happens; a
 * failure is printed (named after the benchmark) and turned into exit status 1. Stateless.
 */
final class ScratchRun {

    /** A benchmark body, given its scratch directory. */
    @FunctionalInterface
    interface Body {
        void run(Path dir) throws Exception;
    }

    private ScratchRun() {
    }

    /** Runs {@code body} in a new directory {@code <name>-bench-*} under {@code workDir}; returns 0 or 1. */
    static int run(String name, Path workDir, PrintStream out, Body body) {
        Path dir;
        try {
            Files.createDirectories(workDir);
            dir = Files.createTempDirectory(workDir, name.toLowerCase(java.util.Locale.ROOT) + "-bench-");
        } catch (IOException e) {
            out.println(name + " benchmark failed: cannot create a directory under " + workDir + ": " + e);
            return 1;
        }
        try {
            body.run(dir);
            return 0;
        } catch (Exception e) {
            out.println(name + " benchmark failed: " + e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return 1;
        } catch (Error e) {
            out.println(name + " benchmark failed: " + e);
            throw e;
        } finally {
            try {
                deleteRecursively(dir);
            } catch (UncheckedIOException e) {
                out.println("warning: " + e.getMessage() + ": " + e.getCause());
            }
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the benchmark's data in " + root, e);
        }
    }
}
