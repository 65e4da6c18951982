package dev.skiff.apiserver.kubelet;

/** Where a node's kubelet server answers: the chosen Node address and its {@code daemonEndpoints} port. */
public record KubeletLocation(String host, int port) {

    /** {@code host:port}, with brackets around an IPv6 literal. */
    public String authority() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
