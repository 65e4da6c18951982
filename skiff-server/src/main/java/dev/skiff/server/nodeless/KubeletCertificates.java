package dev.skiff.server.nodeless;

import dev.skiff.node.kubelet.KubeletServing;

/**
 * Issues what a virtual node's kubelet server listens with: a serving certificate from the cluster CA for the node's
 * address, and the CA the API server's kubelet client certificate chains to. Thread-safe.
 */
@FunctionalInterface
public interface KubeletCertificates {

    /** How the kubelet of {@code nodeName} listens on {@code address} (port 0: any free one). */
    KubeletServing serving(String nodeName, String address);
}
