package dev.skiff.bench;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** The two ways {@code skiff bench pods} reaches a cluster. */
public final class PodsTargets {

    private PodsTargets() {
    }

    /**
     * A cluster running in this process (the CLI's scratch cluster): its memory is this process's resident set
     * after a full collection, which includes the benchmark's own client and watch.
     *
     * @param stop closes the cluster; called once, after the client is closed
     */
    public static PodsTarget sameProcess(Path kubeconfig, String describe, AutoCloseable stop) {
        KubernetesClient client = client(kubeconfig);
        return new PodsTarget() {
            @Override
            public KubernetesClient client() {
                return client;
            }

            @Override
            public String describe() {
                return describe;
            }

            @Override
            public OptionalDouble serverRssMib() {
                double rss = ProcessMemory.afterGc().rssMib();
                return rss < 0 ? OptionalDouble.empty() : OptionalDouble.of(rss);
            }

            @Override
            public void close() {
                client.close();
                try {
                    stop.close();
                } catch (Exception e) {
                    throw new IllegalStateException("stopping the scratch cluster failed: " + e, e);
                }
            }
        };
    }

    /**
     * A running cluster reached through {@code kubeconfig}; its memory is read from {@code /proc/<pid>/status}
     * when the server's process id is given (no collection is forced there).
     */
    public static PodsTarget remote(Path kubeconfig, OptionalLong serverPid) {
        KubernetesClient client = client(kubeconfig);
        return new PodsTarget() {
            @Override
            public KubernetesClient client() {
                return client;
            }

            @Override
            public String describe() {
                return "the cluster of " + kubeconfig + serverPid.stream().mapToObj(p -> " (server pid " + p + ")")
                        .findFirst().orElse("");
            }

            @Override
            public OptionalDouble serverRssMib() {
                if (serverPid.isEmpty()) {
                    return OptionalDouble.empty();
                }
                try {
                    for (String line : Files.readAllLines(Path.of("/proc/" + serverPid.getAsLong() + "/status"))) {
                        if (line.startsWith("VmRSS:")) {
                            return OptionalDouble.of(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // not Linux, or not our user's process
                }
                return OptionalDouble.empty();
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    private static KubernetesClient client(Path kubeconfig) {
        try {
            Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
            config.setRequestTimeout(60_000);
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + kubeconfig + ": " + e.getMessage(), e);
        }
    }
}
