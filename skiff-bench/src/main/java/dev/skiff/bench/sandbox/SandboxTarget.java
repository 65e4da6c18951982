package dev.skiff.bench.sandbox;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The cluster {@code skiff bench sandbox} measures: one running pods in containerd sandboxes (the {@code cri}
 * runtime), with a registry its pods can pull from over plain HTTP and the path of the containerd socket, which the
 * raw peer ({@code ctr}) talks to directly.
 *
 * <p>Used from the benchmark's thread; {@link #client()} is thread-safe as fabric8 clients are.
 */
public interface SandboxTarget extends AutoCloseable {

    /** A client with the rights to manage namespaces and pods. */
    KubernetesClient client();

    /** Where the cluster runs, for the report. */
    String describe();

    /**
     * Builds and pushes a small busybox image as {@code repository:latest} whose single layer also holds a file
     * naming {@code repository}, so that no two repositories share a layer (a pull of a new repository fetches every
     * byte). Returns the pullable reference. Blocks for the push.
     */
    String pushSmallImage(String repository);

    /**
     * Builds and pushes busybox plus a second layer of {@code fillerMib} MiB of incompressible bytes as
     * {@code repository:latest}; returns the pullable reference. Blocks for the push.
     */
    String pushLargeImage(String repository, int fillerMib);

    /**
     * The like-for-like peer of a pod start: one pod of {@code image} running {@code command} started by calling the
     * cluster containerd's CRI directly, as the cluster's runtime would (RunPodSandbox with its network, ImageStatus,
     * CreateContainer, StartContainer) but without Kubernetes; milliseconds of those calls, the pod removed
     * afterwards. Empty when the target cannot reach the CRI. Blocking.
     */
    default OptionalDouble timedCriPodStart(String image, List<String> command) {
        return OptionalDouble.empty();
    }

    /**
     * How many pod sandboxes the cluster's containerd holds (being created, running, or being torn down), or -1
     * when the target cannot tell. A pod's object is gone as soon as it is deleted with no grace period, while
     * its sandbox is still being stopped and removed; the benchmark waits for zero so that every sequential sample
     * and the raw peers start on an idle containerd.
     */
    default int sandboxCount() {
        return -1;
    }

    /** The containerd socket the cluster's sandboxes run under. */
    Path containerdSocket();

    /** Stops what the target started (cluster, containerd, registry) and removes its files. */
    @Override
    void close();
}
