package dev.skiff.server;

import dev.skiff.image.local.LocalRegistry;
import dev.skiff.node.cri.containerd.MissingHostPackagesException;
import dev.skiff.server.image.ClusterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code skiff server}: runs the control plane in the foreground until interrupted (Ctrl-C or SIGTERM), logging one
 * line when it is ready. Everything lives in the data directory, so a restart keeps the cluster.
 */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = "Run the Skiff control plane in the foreground.")
final class ServerCommand implements Callable<Integer> {

    @Option(names = "--data-dir", required = true, description = "Where the cluster keeps its state, PKI and "
            + "kubeconfig.")
    Path dataDir;

    @Option(names = "--port", defaultValue = "6443", description = "HTTPS port of the API (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind-address", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bindAddress;

    @Option(names = "--storage", defaultValue = "embedded",
            description = "embedded (default) or etcd://HOST:PORT[,HOST:PORT...]")
    String storage;

    @Option(names = "--runtime", defaultValue = "simulated",
            description = "What runs pods: simulated (default; virtual nodes and the scheduler, pods run on the "
                    + "simulated runtime), cri (every pod in a real sandbox through a containerd Skiff starts) or "
                    + "none (API server only).")
    String runtime;

    @Option(names = "--registry-port", paramLabel = "PORT",
            description = "Port of the local image registry on 127.0.0.1 (default: 5000 if free, else any; 0: any).")
    Integer registryPort;

    private final PrintStream out;
    private final BuildInfo build;

    ServerCommand(PrintStream out, BuildInfo build) {
        this.out = out;
        this.build = build;
    }

    @Override
    public Integer call() throws Exception {
        return run(dataDir, bindAddress, port, StorageChoice.parse(storage), RuntimeChoice.parse(runtime), registryPort,
                out, build, null);
    }

    /** Runs a cluster until the JVM is asked to stop; {@code beforeReadyLine} prints extra lines first. */
    static int run(Path dataDir, String bindAddress, int port, StorageChoice storage, RuntimeChoice runtime,
            Integer registryPort, PrintStream out, BuildInfo build, Runnable beforeReadyLine) throws Exception {
        // The registry first: pods of the restarted cluster may pull from it as soon as the nodes run.
        Optional<LocalRegistry> registry = ClusterRegistry.start(dataDir.toAbsolutePath(), registryPort, out);
        ClusterProcess cluster;
        try {
            cluster = ClusterProcess.start(dataDir.toAbsolutePath(), bindAddress, port, storage, runtime, build);
        } catch (MissingHostPackagesException e) {
            registry.ifPresent(LocalRegistry::close);
            // containerd, runc or the CNI plugins are missing: say exactly what to install.
            out.println("skiff: " + e.getMessage());
            out.flush();
            return 1;
        } catch (Exception e) {
            registry.ifPresent(LocalRegistry::close);
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = Thread.ofPlatform().unstarted(() -> {
            try {
                cluster.close();
            } finally {
                registry.ifPresent(LocalRegistry::close);
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        if (beforeReadyLine != null) {
            beforeReadyLine.run();
        }
        registry.ifPresent(r -> out.println("skiff: image registry at " + r.address()
                + " (push with: skiff image build --push --tag NAME ...)"));
        out.println("skiff: API server ready at https://" + bindAddress + ":" + cluster.port() + " (kubeconfig: "
                + cluster.kubeconfig() + "; " + runtime.describe()
                + (cluster.nodeNames().isEmpty() ? "" : ", virtual nodes " + String.join(", ", cluster.nodeNames()))
                + ")");
        out.flush();
        stopped.await();
        return 0;
    }
}
