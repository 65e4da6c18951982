package dev.skiff.apiserver.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads and writes the parts of a Service (as JSON) that allocation and its rules look at, with the API's meaning of
 * absent fields. The predicates are upstream's ({@code needsClusterIP}, {@code needsNodePort}, headless...).
 */
final class ServiceSpec {

    static final String NONE = "None";

    private ServiceSpec() {
    }

    static ObjectNode spec(ObjectNode service) {
        return service.withObjectProperty("spec");
    }

    static String type(ObjectNode service) {
        return service.path("spec").path("type").asText("ClusterIP");
    }

    static String name(ObjectNode service) {
        return service.path("metadata").path("name").asText("");
    }

    static String clusterIP(ObjectNode service) {
        JsonNode ip = service.path("spec").path("clusterIP");
        return ip.isTextual() ? ip.asText() : "";
    }

    /** {@code spec.clusterIPs}; null when absent (Go's nil slice). */
    static List<String> clusterIPs(ObjectNode service) {
        return strings(service.path("spec").get("clusterIPs"));
    }

    static List<String> ipFamilies(ObjectNode service) {
        return strings(service.path("spec").get("ipFamilies"));
    }

    /** {@code spec.ipFamilyPolicy}, or null. */
    static String ipFamilyPolicy(ObjectNode service) {
        JsonNode policy = service.path("spec").get("ipFamilyPolicy");
        return policy == null || policy.isNull() ? null : policy.asText();
    }

    static void setClusterIP(ObjectNode service, String ip) {
        if (ip == null || ip.isEmpty()) {
            spec(service).remove("clusterIP");
        } else {
            spec(service).put("clusterIP", ip);
        }
    }

    static void setClusterIPs(ObjectNode service, List<String> ips) {
        setStrings(service, "clusterIPs", ips);
    }

    static void setIpFamilies(ObjectNode service, List<String> families) {
        setStrings(service, "ipFamilies", families);
    }

    static void setIpFamilyPolicy(ObjectNode service, String policy) {
        if (policy == null) {
            spec(service).remove("ipFamilyPolicy");
        } else {
            spec(service).put("ipFamilyPolicy", policy);
        }
    }

    static boolean needsClusterIP(ObjectNode service) {
        return !type(service).equals("ExternalName");
    }

    /** Headless: {@code clusterIPs} is exactly ["None"] (upstream's isHeadlessService). */
    static boolean isHeadless(ObjectNode service) {
        List<String> ips = clusterIPs(service);
        return ips != null && ips.size() == 1 && ips.get(0).equals(NONE);
    }

    static boolean hasSelector(ObjectNode service) {
        JsonNode selector = service.path("spec").path("selector");
        return selector.isObject() && !selector.isEmpty();
    }

    static boolean needsNodePorts(ObjectNode service) {
        String type = type(service);
        return type.equals("NodePort") || type.equals("LoadBalancer");
    }

    /** Whether ports without a requested nodePort get one (a LoadBalancer may opt out). */
    static boolean allocatesNodePorts(ObjectNode service) {
        String type = type(service);
        return type.equals("NodePort") || (type.equals("LoadBalancer")
                && service.path("spec").path("allocateLoadBalancerNodePorts").asBoolean(true));
    }

    /** A LoadBalancer with externalTrafficPolicy Local needs a health check node port (upstream's NeedsHealthCheck). */
    static boolean needsHealthCheck(ObjectNode service) {
        return type(service).equals("LoadBalancer")
                && service.path("spec").path("externalTrafficPolicy").asText("").equals("Local");
    }

    static int healthCheckNodePort(ObjectNode service) {
        return service.path("spec").path("healthCheckNodePort").asInt(0);
    }

    static List<ObjectNode> ports(ObjectNode service) {
        List<ObjectNode> ports = new ArrayList<>();
        for (JsonNode port : service.path("spec").path("ports")) {
            if (port instanceof ObjectNode object) {
                ports.add(object);
            }
        }
        return ports;
    }

    /** The non-zero nodePorts of the service's ports, in order (upstream's collectServiceNodePorts). */
    static List<Integer> nodePorts(ObjectNode service) {
        List<Integer> ports = new ArrayList<>();
        for (ObjectNode port : ports(service)) {
            int nodePort = port.path("nodePort").asInt(0);
            if (nodePort != 0) {
                ports.add(nodePort);
            }
        }
        return ports;
    }

    static boolean sameClusterIPs(ObjectNode a, ObjectNode b) {
        return Objects.equals(orEmpty(clusterIPs(a)), orEmpty(clusterIPs(b)));
    }

    static boolean sameIpFamilies(ObjectNode a, ObjectNode b) {
        return Objects.equals(orEmpty(ipFamilies(a)), orEmpty(ipFamilies(b)));
    }

    static List<String> orEmpty(List<String> values) {
        return values == null ? List.of() : values;
    }

    private static List<String> strings(JsonNode node) {
        if (node == null || node.isNull() || !node.isArray()) {
            return null;
        }
        List<String> values = new ArrayList<>();
        node.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static void setStrings(ObjectNode service, String field, List<String> values) {
        if (values == null) {
            spec(service).remove(field);
            return;
        }
        ArrayNode array = spec(service).putArray(field);
        values.forEach(array::add);
    }
}
