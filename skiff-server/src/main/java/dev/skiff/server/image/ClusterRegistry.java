package dev.skiff.server.image;

import dev.skiff.image.local.LocalRegistry;
import dev.skiff.image.local.RegistryOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The cluster's image registry: a {@link LocalRegistry} on 127.0.0.1 with its data in {@code <data dir>/registry}.
 *
 * <p>Port choice: an explicit {@code --registry-port} must be free (else the server fails, naming the port); 0 means
 * any free port; without the option the registry takes {@link #DEFAULT_PORT} (the distribution registry's usual
 * port, which image references then carry) and, when that is taken, a free port, saying so. A missing
 * {@code docker-registry} binary does not stop the cluster: the registry is optional for the simulated runtime, so
 * a warning with the install command is printed instead.
 */
public final class ClusterRegistry {

    public static final int DEFAULT_PORT = 5000;
    public static final String DIRECTORY = "registry";

    private ClusterRegistry() {}

    /** Where the cluster with data in {@code dataDir} keeps its registry. */
    public static Path directory(Path dataDir) {
        return dataDir.resolve(DIRECTORY);
    }

    /** The address of the registry the cluster in {@code dataDir} runs, if it runs one. */
    public static Optional<String> address(Path dataDir) {
        return LocalRegistry.readAddress(directory(dataDir));
    }

    /**
     * Starts the registry for the cluster in {@code dataDir}; {@code requestedPort} null means the default port if
     * free. Returns empty (after a warning on {@code out}) when the registry binary is not installed.
     */
    public static Optional<LocalRegistry> start(Path dataDir, Integer requestedPort, PrintStream out) {
        if (!LocalRegistry.installed()) {
            out.println("skiff: no image registry: " + LocalRegistry.NOT_FOUND);
            return Optional.empty();
        }
        int port;
        if (requestedPort != null) {
            port = requestedPort;
        } else if (LocalRegistry.portFree(DEFAULT_PORT)) {
            port = DEFAULT_PORT;
        } else {
            out.println("skiff: port " + DEFAULT_PORT + " is in use; the image registry takes a free port instead"
                    + " (choose one with --registry-port)");
            port = 0;
        }
        return Optional.of(LocalRegistry.start(RegistryOptions.of(directory(dataDir)).withPort(port)));
    }
}
