package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.kubelet.KubeletConnector;
import dev.skiff.apiserver.kubelet.KubeletLocation;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.request.RequestInfo;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code /api/v1/nodes/NAME/proxy/PATH}: kube-apiserver's node proxy to the node's kubelet, what
 * {@code kubectl get --raw /api/v1/nodes/NAME/proxy/stats/summary} (and metrics-server's summary scrape) uses.
 * Authorization is the ordinary RBAC check on {@code nodes/proxy} with the request's verb, done before this runs,
 * as upstream authorizes the proxy subresource. The kubelet is found as for pod streams (preferred address type,
 * {@code daemonEndpoints} port); its answer reaches the client as it is. Only GET is proxied: the kubelet's
 * read-only endpoints ({@code /stats/summary}, {@code /healthz}, {@code /containerLogs/...}); other methods get
 * 405. Stateless, thread-safe; blocks the request's virtual thread while the kubelet answers.
 */
final class NodeProxy {

    private final KubeletConnector kubelets;

    NodeProxy(KubeletConnector kubelets) {
        this.kubelets = kubelets;
    }

    static boolean handles(ResourceType type, String subresource) {
        return type.group().isEmpty() && type.plural().equals("nodes") && subresource.equals("proxy");
    }

    void handle(Exchange exchange, ObjectStore store, ResourceType nodes, RequestInfo info) {
        if (!info.verb().equals("get")) {
            throw ApiException.methodNotSupported("", "nodes/proxy", info.verb());
        }
        ObjectNode node = store.get(nodes, "", info.name());
        if (kubelets == null) {
            throw ApiException.unavailable("the node agent of node " + info.name() + " serves no kubelet API", 10);
        }
        kubelets.proxyGet(exchange, location(node), "/" + path(info.extraParts()) + query(exchange));
    }

    /** The node's kubelet address (first preferred address type it has) and port (10250 when unpublished). */
    private KubeletLocation location(ObjectNode node) {
        return KubeletLocation.of(node, kubelets.config().addressTypes());
    }

    private static String path(List<String> parts) {
        StringBuilder path = new StringBuilder();
        for (String part : parts) {
            if (part.equals("..") || part.equals(".")) {
                throw ApiException.badRequest("invalid proxy path segment \"" + part + "\"");
            }
            if (!path.isEmpty()) {
                path.append('/');
            }
            path.append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return path.toString();
    }

    private static String query(Exchange exchange) {
        StringBuilder query = new StringBuilder();
        for (String name : exchange.query().names()) {
            for (String value : exchange.query().getAll(name)) {
                query.append(query.isEmpty() ? '?' : '&')
                        .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        return query.toString();
    }
}
