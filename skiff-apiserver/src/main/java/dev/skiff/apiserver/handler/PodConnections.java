package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.kubelet.KubeletConnector;
import dev.skiff.apiserver.kubelet.KubeletLocation;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.request.RequestInfo;
import dev.skiff.apiserver.resource.ResourceCatalog;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The pod subresources kube-apiserver proxies to the pod's kubelet: {@code log}, {@code exec}, {@code attach} and
 * {@code portforward}. Checks what upstream's {@code pod.LogLocation}, {@code ExecLocation}, {@code AttachLocation}
 * and {@code PortForwardLocation} check (404 for a missing pod, 400 for a pod on no node, 400 for a container the
 * pod does not have, or none named when it has several), finds the node's kubelet (preferred address type and
 * {@code daemonEndpoints} port) and streams the log or relays the upgraded connection. Without a kubelet client
 * configured it answers 503. Stateless, thread-safe; each call blocks its (virtual) thread for the stream's life.
 */
final class PodConnections {

    private static final Set<String> SUBRESOURCES = Set.of("log", "exec", "attach", "portforward");
    /** The log query parameters kube-apiserver passes on to the kubelet's {@code /containerLogs}. */
    private static final List<String> LOG_PARAMETERS = List.of("follow", "previous", "sinceSeconds", "sinceTime",
            "timestamps", "tailLines", "limitBytes");
    private static final List<String> STREAM_PARAMETERS = List.of("stdin", "stdout", "stderr", "tty");

    private final KubeletConnector kubelets;
    private final ResourceCatalog catalog;

    PodConnections(ResourceCatalog catalog, KubeletConnector kubelets) {
        this.catalog = catalog;
        this.kubelets = kubelets;
    }

    static boolean handles(ResourceType type, String subresource) {
        return type.group().isEmpty() && type.plural().equals("pods") && SUBRESOURCES.contains(subresource);
    }

    void handle(Exchange exchange, ObjectStore store, ResourceType pods, RequestInfo info) {
        ObjectNode pod = store.get(pods, info.namespace(), info.name());
        String node = pod.path("spec").path("nodeName").asText("");
        if (node.isEmpty()) {
            throw ApiException.badRequest("pod " + info.name() + " does not have a host assigned");
        }
        String sub = info.subresource();
        String container = sub.equals("portforward") ? "" : container(pod, info.name(), exchange.param("container"));
        if (kubelets == null) {
            throw ApiException.unavailable("the node agent of node " + node + " does not serve pod "
                    + sub + " streams", 10);
        }
        boolean upgrade = exchange.wantsWebSocket();
        if (!sub.equals("log") && !upgrade) {
            // kubectl 1.32 asks for a WebSocket first and falls back to SPDY/3.1 when refused; only WebSocket
            // streams are served (decision 029), so the SPDY attempt gets this answer.
            throw ApiException.badRequest("Upgrade request required: pod " + sub
                    + " is served over WebSocket (" + String.join(", ",
                    dev.skiff.apiserver.http.HttpTransport.WEBSOCKET_SUBPROTOCOLS) + ")");
        }
        KubeletLocation location = location(store, node);
        String target = "/" + info.namespace() + "/" + info.name();
        switch (sub) {
            case "log" -> kubelets.streamLogs(exchange, location,
                    "/containerLogs" + target + "/" + container + query(exchange, LOG_PARAMETERS, false));
            case "exec", "attach" -> kubelets.relay(exchange, location,
                    "/" + sub + target + "/" + container + query(exchange, STREAM_PARAMETERS, sub.equals("exec")),
                    offeredProtocols(exchange));
            default -> kubelets.relay(exchange, location, "/portForward" + target, offeredProtocols(exchange));
        }
    }

    /**
     * The container a request names, or the pod's only container; errors with upstream's messages
     * ({@code container x is not valid for pod y}, {@code a container name must be specified ...}).
     */
    private static String container(ObjectNode pod, String podName, String requested) {
        List<String> names = new ArrayList<>();
        for (String field : List.of("containers", "initContainers", "ephemeralContainers")) {
            for (JsonNode c : pod.path("spec").path(field)) {
                names.add(c.path("name").asText());
            }
        }
        if (requested == null || requested.isEmpty()) {
            JsonNode containers = pod.path("spec").path("containers");
            if (containers.size() == 1) {
                return containers.get(0).path("name").asText();
            }
            throw ApiException.badRequest("a container name must be specified for pod " + podName
                    + ", choose one of: " + names);
        }
        if (!names.contains(requested)) {
            throw ApiException.badRequest("container " + requested + " is not valid for pod " + podName);
        }
        return requested;
    }

    /** The node's kubelet address (first preferred address type it has) and port (10250 when unpublished). */
    private KubeletLocation location(ObjectStore store, String nodeName) {
        ResourceType nodes = catalog.find("", "v1", "nodes").orElseThrow();
        ObjectNode node;
        try {
            node = store.get(nodes, "", nodeName);
        } catch (ApiException e) {
            if (e.code() == 404) {
                throw ApiException.internal("node \"" + nodeName + "\" not found");
            }
            throw e;
        }
        return KubeletLocation.of(node, kubelets.config().addressTypes());
    }

    private static String query(Exchange exchange, List<String> names, boolean command) {
        StringBuilder query = new StringBuilder();
        for (String name : names) {
            String value = exchange.param(name);
            if (value != null) {
                query.append(query.isEmpty() ? '?' : '&').append(name).append('=').append(encode(value));
            }
        }
        if (command) {
            for (String argument : exchange.query().getAll("command")) {
                query.append(query.isEmpty() ? '?' : '&').append("command=").append(encode(argument));
            }
        }
        return query.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static List<String> offeredProtocols(Exchange exchange) {
        List<String> protocols = new ArrayList<>();
        for (String header : exchange.headers("Sec-WebSocket-Protocol")) {
            for (String protocol : header.split(",")) {
                if (!protocol.isBlank()) {
                    protocols.add(protocol.strip());
                }
            }
        }
        return protocols;
    }
}
