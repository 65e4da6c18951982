package dev.skiff.node.cri.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short host tools ({@code ip}, {@code umount}) and reports their outcome; nothing here is long-lived. */
public final class HostCommands {

    /** What a command did. */
    public record Outcome(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private HostCommands() {
    }

    /** Runs {@code argv} to completion (at most 30 s), merging stderr into the output. */
    public static Outcome run(List<String> argv) {
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Outcome(-1, "timed out: " + argv);
            }
            return new Outcome(process.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return new Outcome(-1, argv.getFirst() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(-1, "interrupted: " + argv);
        }
    }

    /** Runs {@code argv} and throws with its output when it fails. */
    public static String check(List<String> argv) {
        Outcome outcome = run(argv);
        if (!outcome.ok()) {
            throw new IllegalStateException(String.join(" ", argv) + " failed (" + outcome.exitCode() + "): "
                    + outcome.output());
        }
        return outcome.output();
    }
}
