package dev.skiff.server;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code skiff up}: will start the cluster in this process. Until the API server exists it says so and points at
 * what does work.
 */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = "Start the cluster (not available yet: it arrives with the API server).")
final class UpCommand implements Callable<Integer> {

    static final String NOT_YET = "skiff up: the API server is not available yet (it arrives with the API server"
            + " issue); the storage engine is ready: try ./skiff bench storage --quick";

    private final PrintStream out;

    UpCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        out.println(NOT_YET);
        return 0;
    }
}
