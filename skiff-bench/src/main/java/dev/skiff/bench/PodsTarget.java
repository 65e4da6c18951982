package dev.skiff.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.OptionalDouble;

/**
 * The cluster {@code skiff bench pods} runs against: a scratch cluster the CLI started (in this process), or a
 * running one reached through a kubeconfig. It must run the scheduler, the workload controllers and virtual nodes.
 *
 * <p>Implementations are used from the benchmark's thread only; {@link #client()} is thread-safe as fabric8 clients
 * are.
 */
public interface PodsTarget extends AutoCloseable {

    /** A client with the rights to manage namespaces, deployments and pods. */
    KubernetesClient client();

    /** Where the server runs, for the report. */
    String describe();

    /**
     * The server's resident memory in MiB after a full collection where that can be asked for, or empty when the
     * server's process cannot be measured from here. May block for the collection.
     */
    OptionalDouble serverRssMib();

    /** Stops what the target started (nothing for a cluster it only connects to). */
    @Override
    void close();
}
