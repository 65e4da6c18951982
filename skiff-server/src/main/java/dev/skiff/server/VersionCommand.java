package dev.skiff.server;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code skiff version}: the same line as {@code skiff --version}. */
@Command(
        name = "version",
        mixinStandardHelpOptions = true,
        description = "Print the Skiff version, the git commit it was built from and the Java runtime.")
final class VersionCommand implements Callable<Integer> {

    private final String versionLine;
    private final PrintStream out;

    VersionCommand(String versionLine, PrintStream out) {
        this.versionLine = versionLine;
        this.out = out;
    }

    @Override
    public Integer call() {
        out.println(versionLine);
        return 0;
    }
}
