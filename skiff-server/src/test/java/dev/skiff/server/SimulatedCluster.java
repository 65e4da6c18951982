package dev.skiff.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * For end-to-end tests: the cluster {@code skiff server --runtime simulated} runs (embedded storage, any free port),
 * with its data under {@code dir/data} and the real kubectl working in {@code dir/work}. The caller closes it.
 */
final class SimulatedCluster {

    private SimulatedCluster() {
    }

    static ClusterProcess start(Path dir) throws IOException {
        return ClusterProcess.start(dir.resolve("data"), "127.0.0.1", 0, new StorageChoice.Embedded(),
                RuntimeChoice.SIMULATED, new BuildInfo("test", Optional.empty()));
    }

    static Kubectl kubectl(ClusterProcess cluster, Path dir) throws IOException {
        return new Kubectl(cluster.kubeconfig(), Files.createDirectories(dir.resolve("work")));
    }
}
