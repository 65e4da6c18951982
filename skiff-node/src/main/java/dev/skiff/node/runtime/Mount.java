package dev.skiff.node.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A host directory or file bind-mounted into a container: how volumes reach a runtime. The node agent materialises
 * every volume (emptyDir, configMap, secret, projected, downward API) as a directory it owns on the node and hands
 * the runtime only bind mounts, so a runtime never needs the Kubernetes API. Mounting a directory (not its files)
 * is what lets ConfigMap and Secret updates reach running containers, as the kubelet's atomic writer does.
 *
 * @param containerPath absolute path inside the container ({@code volumeMounts[].mountPath}, plus its subPath
 *                      resolved by the agent into {@code hostPath})
 * @param hostPath      absolute path on the node
 * @param readOnly      whether the container may write to it
 */
public record Mount(String containerPath, Path hostPath, boolean readOnly) {

    public Mount {
        Objects.requireNonNull(containerPath, "containerPath");
        Objects.requireNonNull(hostPath, "hostPath");
        if (!containerPath.startsWith("/")) {
            throw new IllegalArgumentException("mount path must be absolute: " + containerPath);
        }
        if (!hostPath.isAbsolute()) {
            throw new IllegalArgumentException("host path must be absolute: " + hostPath);
        }
    }
}
