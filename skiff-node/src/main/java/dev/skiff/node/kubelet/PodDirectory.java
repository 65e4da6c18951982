package dev.skiff.node.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/** The pods bound to this node, as the node agent's informer sees them. Thread-safe, never blocks on the API. */
@FunctionalInterface
public interface PodDirectory {

    /** The pod, or empty if it is not bound to this node (or not known yet). */
    Optional<Pod> find(String namespace, String name);
}
