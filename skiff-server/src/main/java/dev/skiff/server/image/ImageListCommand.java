package dev.skiff.server.image;

import dev.skiff.image.registry.RegistryClient;
import dev.skiff.image.registry.RegistryException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code skiff image list}: every {@code repository:tag} in the cluster's (or a named) registry, with its digest. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List the images (repository:tag and manifest digest) in the cluster's registry.")
public final class ImageListCommand implements Callable<Integer> {

    @Option(names = "--registry", paramLabel = "HOST:PORT", description = "The registry (default: the cluster's).")
    String registry;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The cluster whose registry to list (default: ~/.skiff).")
    Path dataDir;

    private final PrintStream out;
    private final PrintStream err;
    private final Path defaultDataDir;

    public ImageListCommand(PrintStream out, PrintStream err, Path defaultDataDir) {
        this.out = out;
        this.err = err;
        this.defaultDataDir = defaultDataDir;
    }

    @Override
    public Integer call() {
        Path dir = (dataDir != null ? dataDir : defaultDataDir).toAbsolutePath();
        String address = registry != null ? registry : ClusterRegistry.address(dir).orElse(null);
        if (address == null) {
            err.println("skiff: no registry is running for the cluster in " + dir
                    + ": start it with `skiff up`, or name one with --registry HOST:PORT");
            return 1;
        }
        RegistryClient client = RegistryClient.forHost(address, false, null);
        try {
            out.printf("%-60s %s%n", "IMAGE", "DIGEST");
            for (String repository : client.catalog()) {
                for (String tag : client.tags(repository)) {
                    String digest = client.getManifest(repository, tag).map(m -> m.digest().toString()).orElse("-");
                    out.printf("%-60s %s%n", address + "/" + repository + ":" + tag, digest);
                }
            }
            return 0;
        } catch (RegistryException e) {
            err.println("skiff: image list failed: " + e.getMessage());
            return 1;
        }
    }
}
