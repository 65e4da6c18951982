package dev.skiff.apiserver;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs command-line tools (kubectl, curl, python3) from tests, if they are on the PATH. */
public final class ExternalTools {

    /** The outcome of one run. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private ExternalTools() {
    }

    /** The executable named {@code name} on the PATH, if any. */
    public static Optional<Path> find(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(entry, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs {@code command}, waiting at most {@code timeoutSeconds}; the process is killed on timeout. */
    public static Result run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(nullFile())).start();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> drain(process, false));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(process, true));
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out after " + timeoutSeconds + " s: " + command);
        }
        return new Result(process.exitValue(), stdout.join(), stderr.join());
    }

    private static File nullFile() {
        return new File(File.separatorChar == '\\' ? "NUL" : "/dev/null");
    }

    private static String drain(Process process, boolean error) {
        try {
            byte[] bytes = (error ? process.getErrorStream() : process.getInputStream()).readAllBytes();
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
