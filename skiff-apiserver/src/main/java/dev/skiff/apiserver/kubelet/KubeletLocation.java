package dev.skiff.apiserver.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.apiserver.status.ApiException;
import java.util.List;

/** Where a node's kubelet server answers: the chosen Node address and its {@code daemonEndpoints} port. */
public record KubeletLocation(String host, int port) {

    /** The kubelet's port when a Node does not publish {@code status.daemonEndpoints.kubeletEndpoint.Port}. */
    static final int DEFAULT_PORT = 10250;

    /**
     * The kubelet of a stored Node: its first address of the most preferred type (upstream's
     * {@code --kubelet-preferred-address-types}) and its published port.
     *
     * @throws ApiException 500 with upstream's message when the Node has no address of any preferred type
     */
    public static KubeletLocation of(JsonNode node, List<String> addressTypes) {
        JsonNode status = node.path("status");
        int port = status.path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(0);
        for (String type : addressTypes) {
            for (JsonNode address : status.path("addresses")) {
                if (type.equals(address.path("type").asText()) && !address.path("address").asText().isEmpty()) {
                    return new KubeletLocation(address.path("address").asText(), port > 0 ? port : DEFAULT_PORT);
                }
            }
        }
        throw ApiException.internal("no preferred addresses found; known addresses: " + status.path("addresses"));
    }

    /** {@code host:port}, with brackets around an IPv6 literal. */
    public String authority() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
