package dev.skiff.node.runtime;

import java.util.Objects;

/**
 * Which runtime this is, for the Node's {@code status.nodeInfo.containerRuntimeVersion} ({@code name://version})
 * and for container ids.
 *
 * @param name      a short lower-case word: {@code simulated}, {@code containerd}
 * @param version   the runtime's version
 * @param simulated true when instances are not real processes (scale tests only): the node agent says so on the
 *                  Node, so nobody mistakes a simulated cluster for one that runs workloads
 */
public record RuntimeInfo(String name, String version, boolean simulated) {

    public RuntimeInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }

    /** {@code name://version}, as the kubelet reports its container runtime. */
    public String runtimeVersion() {
        return name + "://" + version;
    }
}
