package dev.skiff.node.kubelet;

import java.util.Objects;
import java.util.Set;

/**
 * How a node's kubelet server listens and whom it serves.
 *
 * @param host             the address to bind (also what the Node publishes as its InternalIP, which the API server
 *                         dials)
 * @param port             the port, 0 for any free one (the bound port is published in the Node's
 *                         {@code daemonEndpoints})
 * @param certificatePem   the serving certificate, issued by the cluster CA for {@code host}
 * @param privateKeyPem    its key
 * @param clientCaPem      the CA client certificates must chain to (the cluster CA)
 * @param authorizedUsers  the client certificate common names served (the API server's kubelet client, as
 *                         {@code --kubelet-client-certificate}); members of {@code system:masters} are served too
 */
public record KubeletServing(String host, int port, String certificatePem, String privateKeyPem, String clientCaPem,
                             Set<String> authorizedUsers) {

    /** The user kube-apiserver's kubelet client certificate names (kubeadm's {@code apiserver-kubelet-client}). */
    public static final String API_SERVER_USER = "kube-apiserver-kubelet-client";

    public KubeletServing {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        Objects.requireNonNull(clientCaPem, "clientCaPem");
        authorizedUsers = Set.copyOf(authorizedUsers == null ? Set.of(API_SERVER_USER) : authorizedUsers);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}
