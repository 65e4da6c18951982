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

        static void deleteRecursively(Path root) throws IOException {
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

    /** {@code skiff bench pods}: a Deployment scaled on a nodeless cluster, pods observed Running. */
    @Command(
            name = "pods",
            mixinStandardHelpOptions = true,
            description = "Benchmark pods end to end: one Deployment scaled 0 -> 1,000 -> 10,000 -> 0, then to 50,000"
                    + " held (quick: 200, 1,000, 2,000) on the simulated runtime, against raw API creates.")
    static final class PodsCommand implements Callable<Integer> {

        @Option(names = "--quick", description = "Smaller steps (0 -> 200 -> 1,000 -> 0, 2,000 held), for CI.")
        boolean quick;

        @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Run against the cluster of this"
                + " kubeconfig (e.g. one started with 'skiff server --runtime simulated') instead of a scratch"
                + " cluster in this process.")
        Path kubeconfig;

        @Option(names = "--server-pid", paramLabel = "PID", description = "With --kubeconfig: the server's process,"
                + " whose memory is reported.")
        Long serverPid;

        @Option(
                names = "--work-dir",
                paramLabel = "DIR",
                description = "Where the scratch cluster keeps its data meanwhile (default: the system's temporary"
                        + " directory; removed afterwards).")
        Path workDir;

        private final PrintStream out;
        private final BuildInfo build;

        PodsCommand(PrintStream out, BuildInfo build) {
            this.out = out;
            this.build = build;
        }

        @Override
        public Integer call() throws IOException {
            dev.skiff.bench.PodsBenchmark.Config config = quick ? dev.skiff.bench.PodsBenchmark.Config.quick()
                    : dev.skiff.bench.PodsBenchmark.Config.full();
            if (kubeconfig != null) {
                return dev.skiff.bench.PodsBenchmark.run(config, dev.skiff.bench.PodsTargets.remote(kubeconfig,
                        serverPid == null ? java.util.OptionalLong.empty()
                                : java.util.OptionalLong.of(serverPid)), out);
            }
            Path parent = Files.createDirectories(workDir != null ? workDir
                    : Path.of(System.getProperty("java.io.tmpdir")));
            Path dir = Files.createTempDirectory(parent, "pods-bench-");
            ClusterProcess cluster;
            try {
                // As 'skiff server --runtime simulated' would run it: embedded storage, virtual nodes, scheduler,
                // controllers; on a free loopback port.
                cluster = ClusterProcess.start(dir, "127.0.0.1", 0, new StorageChoice.Embedded(),
                        RuntimeChoice.SIMULATED, build);
            } catch (IOException | RuntimeException e) {
                StorageCommand.deleteRecursively(dir);
                throw e;
            }
            return dev.skiff.bench.PodsBenchmark.run(config, dev.skiff.bench.PodsTargets.sameProcess(
                    cluster.kubeconfig(), "a scratch cluster in this process (embedded storage, simulated runtime,"
                            + " virtual nodes " + String.join(", ", cluster.nodeNames()) + ")", () -> {
                        cluster.close();
                        StorageCommand.deleteRecursively(dir);
                    }), out);
        }
    }

    /** {@code skiff bench sandbox}: pods in real containerd sandboxes against containerd's own {@code ctr run}. */
    @Command(
            name = "sandbox",
            mixinStandardHelpOptions = true,
            description = "Benchmark real sandboxes: cold (pull) and cached pod create -> Running, a burst of 100"
                    + " pods and an image-cache start of a 64 MiB image on a scratch cri cluster, against"
                    + " containerd's own 'ctr run' on the same containerd (run as root).")
    static final class SandboxCommand implements Callable<Integer> {

        @Option(names = "--quick", description = "Fewer samples and a burst of 20 pods, for a first look.")
        boolean quick;

        @Option(
                names = "--work-dir",
                paramLabel = "DIR",
                description = "Where the scratch cluster, containerd and registry keep their data meanwhile"
                        + " (default: the system's temporary directory; removed afterwards).")
        Path workDir;

        private final PrintStream out;
        private final BuildInfo build;

        SandboxCommand(PrintStream out, BuildInfo build) {
            this.out = out;
            this.build = build;
        }

        @Override
        public Integer call() throws IOException, InterruptedException {
            dev.skiff.bench.sandbox.SandboxBenchmark.Config config = quick
                    ? dev.skiff.bench.sandbox.SandboxBenchmark.Config.quick()
                    : dev.skiff.bench.sandbox.SandboxBenchmark.Config.full();
            Path parent = workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"));
            return dev.skiff.bench.sandbox.SandboxBenchmark.run(config, SandboxBenchTarget.start(parent, build), out);
        }
    }
}
