package dev.skiff.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real helm 3 client against a kubeconfig, with a deadline per call. Helm is not packaged by Debian;
 * {@code scripts/install-test-deps.sh} (run by {@code ./skiff test}) puts a release build in the project's
 * {@code target/tools/helm/helm}. Helm's config, cache and data directories live in the work directory, so the test
 * neither reads nor writes the user's.
 */
final class Helm {

    /** Where install-test-deps.sh puts helm, relative to the project root. */
    static final String TOOL_PATH = "target/tools/helm/helm";

    /** What one helm run did. */
    record Result(int exitCode, String out, String err) {
        Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("helm failed (" + exitCode + "): " + err + out);
            }
            return this;
        }
    }

    private final Path binary;
    private final Path kubeconfig;
    private final Path workDir;

    private Helm(Path binary, Path kubeconfig, Path workDir) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
        this.workDir = workDir;
    }

    /** Helm for {@code kubeconfig}, or an AssertionError telling how to install it when it is absent. */
    static Helm find(Path kubeconfig, Path workDir) throws IOException {
        Path root = projectRoot(Path.of("").toAbsolutePath());
        Path binary = root.resolve(TOOL_PATH);
        if (!Files.isExecutable(binary)) {
            throw new AssertionError("helm is not installed at " + binary
                    + ": run scripts/install-test-deps.sh (./skiff test runs it) to fetch it");
        }
        return new Helm(binary, kubeconfig, Files.createDirectories(workDir));
    }

    /** The directory holding scripts/install-test-deps.sh, from the module directory Maven runs tests in. */
    private static Path projectRoot(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("scripts/install-test-deps.sh"))) {
                return dir;
            }
        }
        throw new AssertionError("cannot find the project root (scripts/install-test-deps.sh) above " + start);
    }

    /** Runs helm; its own waits are bounded by its --timeout, the whole run by 3 minutes. */
    Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.add("--kubeconfig=" + kubeconfig);
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(workDir, "helm", ".out");
            Path err = Files.createTempFile(workDir, "helm", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).directory(workDir.toFile());
            builder.environment().put("HOME", workDir.toString());
            builder.environment().put("HELM_CONFIG_HOME", workDir.resolve("config").toString());
            builder.environment().put("HELM_CACHE_HOME", workDir.resolve("cache").toString());
            builder.environment().put("HELM_DATA_HOME", workDir.resolve("data").toString());
            builder.environment().remove("KUBECONFIG");
            builder.environment().remove("HELM_NAMESPACE");
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("helm " + String.join(" ", args) + " did not finish in 3 minutes");
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new AssertionError("cannot run helm: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
