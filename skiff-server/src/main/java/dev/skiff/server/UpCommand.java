package dev.skiff.server;

import dev.skiff.node.cri.containerd.MissingHostPackagesException;
import dev.skiff.server.cri.HostPackages;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code skiff up}: starts the whole cluster in this process with a default data directory ({@code ~/.skiff}) and
 * prints the line that points kubectl at it.
 */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = "Start the cluster (data in ~/.skiff by default) and print how to point kubectl at it.")
final class UpCommand implements Callable<Integer> {

    @Option(names = "--data-dir", description = "Where the cluster keeps its state (default: ~/.skiff).")
    Path dataDir;

    @Option(names = "--port", defaultValue = "6443", description = "HTTPS port of the API (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--runtime", defaultValue = "cri",
            description = "What runs pods: cri (default; real sandboxes through containerd), simulated (scale "
                    + "tests) or none (API server only).")
    String runtime;

    @Option(names = "--registry-port", paramLabel = "PORT",
            description = "Port of the local image registry on 127.0.0.1 (default: 5000 if free, else any; 0: any).")
    Integer registryPort;

    private final PrintStream out;
    private final BuildInfo build;

    UpCommand(PrintStream out, BuildInfo build) {
        this.out = out;
        this.build = build;
    }

    static Path defaultDataDir() {
        return Path.of(System.getProperty("user.home"), ".skiff");
    }

    @Override
    public Integer call() throws Exception {
        Path dir = (dataDir != null ? dataDir : defaultDataDir()).toAbsolutePath();
        RuntimeChoice choice = RuntimeChoice.parse(runtime);
        if (choice == RuntimeChoice.CRI) {
            try {
                HostPackages.ensure(out, dir.resolve("install.log"));
            } catch (MissingHostPackagesException e) {
                out.println("skiff: " + e.getMessage());
                return 1;
            }
        }
        return ServerCommand.run(dir, "127.0.0.1", port, new StorageChoice.Embedded(), choice, registryPort, out,
                build,
                () -> out.println("export KUBECONFIG=" + dir.resolve("kubeconfig")));
    }
}
