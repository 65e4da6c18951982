package dev.skiff.server;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code skiff bench}: the benchmarks. Each benchmark is a subcommand. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Run a benchmark and print its figures.",
        commandListHeading = "%nBenchmarks:%n")
final class BenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required benchmark");
    }

    /** {@code skiff bench storage}: the storage engines under a Kubernetes-like load. */
    @Command(
            name = "storage",
            mixinStandardHelpOptions = true,
            description = "Benchmark the storage engines.")
    static final class StorageCommand implements Callable<Integer> {

        @Option(names = "--quick", description = "A short run, for a first look or CI.")
        boolean quick;

        @Option(
                names = "--work-dir",
                paramLabel = "DIR",
                description = "Where the engines keep their data (default: a fresh temporary directory,"
                        + " removed afterwards).")
        Path workDir;

        private final PrintStream out;
        private final PrintStream err;

        StorageCommand(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() throws IOException {
            if (workDir != null) {
                return runIn(Files.createDirectories(workDir));
            }
            Path temporary = Files.createTempDirectory("skiff-bench-");
            try {
                return runIn(temporary);
            } finally {
                deleteRecursively(temporary);
            }
        }

        private int runIn(Path dir) {
            return dev.skiff.bench.StorageBenchmark.run(quick, dir, out);
        }

        private static void deleteRecursively(Path root) throws IOException {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                    try {
                        Files.deleteIfExists(path);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }

    /** {@code skiff bench api}: the API server under fabric8 clients, against fabric8's mock and raw storage. */
    @Command(
            name = "api",
            mixinStandardHelpOptions = true,
            description = "Benchmark the API server: creates, gets, lists, watches and memory with 50,000 pods,"
                    + " against fabric8's mock API server and raw storage.")
    static final class ApiCommand implements Callable<Integer> {

        @Option(names = "--quick", description = "A shorter run (two to three minutes on two cores), for a first look.")
        boolean quick;

        @Option(
                names = "--work-dir",
                paramLabel = "DIR",
                description = "Where the servers keep their data meanwhile (default: the system's temporary"
                        + " directory; what the benchmark creates there is removed afterwards).")
        Path workDir;

        private final PrintStream out;
        private final PrintStream err;

        ApiCommand(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            Path dir = workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"));
            return dev.skiff.bench.ApiBenchmark.run(quick, dir, out);
        }
    }
}
