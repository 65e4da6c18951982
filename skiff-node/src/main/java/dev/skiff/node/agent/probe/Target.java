package dev.skiff.node.agent.probe;

import dev.skiff.node.runtime.InstanceId;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * What a handler runs against: the pod's instance and address and one of its containers.
 *
 * @param instance  the pod's instance (for exec)
 * @param pod       the pod
 * @param container the container the probe or hook belongs to
 * @param podIp     the pod's address (the default host of httpGet, tcpSocket and grpc), or null before it has one
 */
public record Target(InstanceId instance, Pod pod, Container container, String podIp) {

    /** A port given by number or by the name of one of the container's ports (upstream's {@code findPortByName}). */
    int port(IntOrString port) {
        if (port == null) {
            throw new IllegalArgumentException("no port given");
        }
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        String name = port.getStrVal();
        if (container.getPorts() != null) {
            for (var p : container.getPorts()) {
                if (name.equals(p.getName())) {
                    return p.getContainerPort();
                }
            }
        }
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("couldn't find port: " + name + " in " + container.getName());
        }
    }

    String host(String given) {
        return given == null || given.isEmpty() ? podIp : given;
    }
}
