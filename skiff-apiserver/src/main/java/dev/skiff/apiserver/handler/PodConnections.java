package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.request.RequestInfo;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import java.util.Set;

/**
 * The pod subresources kube-apiserver proxies to the pod's kubelet: {@code log}, {@code exec}, {@code attach} and
 * {@code portforward}. Their streams are served by the node agent in a later step; until then this answers what
 * upstream answers before it dials the kubelet (404 for a missing pod, 400 for a pod on no node, as
 * {@code pod.ExecLocation} and friends do), and 503 for a pod whose node cannot be reached yet. Stateless.
 */
final class PodConnections {

    private static final Set<String> SUBRESOURCES = Set.of("log", "exec", "attach", "portforward");

    private PodConnections() {
    }

    static boolean handles(ResourceType type, String subresource) {
        return type.group().isEmpty() && type.plural().equals("pods") && SUBRESOURCES.contains(subresource);
    }

    static void handle(ObjectStore store, ResourceType pods, RequestInfo info) {
        ObjectNode pod = store.get(pods, info.namespace(), info.name());
        String node = pod.path("spec").path("nodeName").asText("");
        if (node.isEmpty()) {
            throw ApiException.badRequest("pod " + info.name() + " does not have a host assigned");
        }
        throw ApiException.unavailable("the node agent of node " + node + " does not serve pod "
                + info.subresource() + " streams yet", 10);
    }
}
