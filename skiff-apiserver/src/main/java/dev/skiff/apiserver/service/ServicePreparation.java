package dev.skiff.apiserver.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How a Service write is shaped before validation and allocation, following upstream's service strategy:
 * {@code clusterIP} and {@code clusterIPs} kept in step, values the server allocated carried over when an update
 * leaves them out (a PUT or patch from a client that never saw them), and fields a type change makes meaningless
 * cleared. Pure functions over JSON.
 */
final class ServicePreparation {

    private ServicePreparation() {
    }

    /** Upstream's NormalizeClusterIPs: {@code previous} is null on create. */
    static void normalizeClusterIPs(ObjectNode service, ObjectNode previous) {
        String clusterIP = ServiceSpec.clusterIP(service);
        List<String> clusterIPs = ServiceSpec.clusterIPs(service);
        if (previous == null) {
            // An old client sets only the singular field: the plural follows it.
            if (!clusterIP.isEmpty() && (clusterIPs == null || clusterIPs.isEmpty())) {
                ServiceSpec.setClusterIPs(service, List.of(clusterIP));
            }
            return;
        }
        List<String> oldIPs = ServiceSpec.clusterIPs(previous);
        String oldIP = ServiceSpec.clusterIP(previous);
        if (oldIPs != null && !oldIPs.isEmpty() && (clusterIPs == null || clusterIPs.isEmpty())
                && oldIP.equals(clusterIP)) {
            // A client that only knows the singular field patched something else.
            ServiceSpec.setClusterIPs(service, oldIPs);
        }
        if (!oldIP.equals(clusterIP)) {
            if (!oldIP.isEmpty() && clusterIP.isEmpty()) {
                ServiceSpec.setClusterIPs(service, null);
                return;
            }
            if (ServiceSpec.sameClusterIPs(previous, service)) {
                ServiceSpec.setClusterIPs(service, List.of(clusterIP));
            }
        }
    }

    /** Upstream's patchAllocatedValues: an update that leaves out allocated values keeps them. */
    static void patchAllocatedValues(ObjectNode service, ObjectNode previous) {
        if (ServiceSpec.needsClusterIP(previous) && ServiceSpec.needsClusterIP(service)) {
            if (ServiceSpec.clusterIP(service).isEmpty() && !ServiceSpec.clusterIP(previous).isEmpty()) {
                ServiceSpec.setClusterIP(service, ServiceSpec.clusterIP(previous));
            }
            List<String> ips = ServiceSpec.clusterIPs(service);
            List<String> oldIPs = ServiceSpec.clusterIPs(previous);
            if ((ips == null || ips.isEmpty()) && oldIPs != null && !oldIPs.isEmpty()) {
                ServiceSpec.setClusterIPs(service, oldIPs);
            }
        }
        if (ServiceSpec.needsNodePorts(previous) && ServiceSpec.needsNodePorts(service)) {
            // A missing nodePort is filled from the old port of the same name, unless the new ports already use it.
            Set<Integer> used = new HashSet<>(ServiceSpec.nodePorts(previous));
            used.retainAll(new HashSet<>(ServiceSpec.nodePorts(service)));
            Map<String, Integer> byName = new HashMap<>();
            for (ObjectNode port : ServiceSpec.ports(previous)) {
                byName.put(port.path("name").asText(""), port.path("nodePort").asInt(0));
            }
            for (ObjectNode port : ServiceSpec.ports(service)) {
                if (port.path("nodePort").asInt(0) == 0) {
                    int old = byName.getOrDefault(port.path("name").asText(""), 0);
                    if (old != 0 && !used.contains(old)) {
                        port.put("nodePort", old);
                    }
                }
            }
        }
        if (ServiceSpec.needsHealthCheck(previous) && ServiceSpec.needsHealthCheck(service)
                && ServiceSpec.healthCheckNodePort(service) == 0 && ServiceSpec.healthCheckNodePort(previous) != 0) {
            ServiceSpec.spec(service).put("healthCheckNodePort", ServiceSpec.healthCheckNodePort(previous));
        }
    }

    /**
     * Upstream's dropTypeDependentFields: moving to a type without cluster IPs (ExternalName), node ports or a
     * health check drops the values the server had filled in, unless the client changed them too (then validation
     * speaks).
     */
    static void dropTypeDependentFields(ObjectNode service, ObjectNode previous) {
        ObjectNode spec = ServiceSpec.spec(service);
        if (ServiceSpec.needsClusterIP(previous) && !ServiceSpec.needsClusterIP(service)) {
            if (ServiceSpec.sameClusterIPs(previous, service)) {
                spec.remove("clusterIP");
                spec.remove("clusterIPs");
            }
            if (ServiceSpec.sameIpFamilies(previous, service)) {
                spec.remove("ipFamilies");
            }
            if (Objects.equals(ServiceSpec.ipFamilyPolicy(previous), ServiceSpec.ipFamilyPolicy(service))) {
                spec.remove("ipFamilyPolicy");
            }
            if (Objects.equals(previous.path("spec").get("internalTrafficPolicy"), spec.get("internalTrafficPolicy"))) {
                spec.remove("internalTrafficPolicy");
            }
        }
        if (ServiceSpec.needsNodePorts(previous) && !ServiceSpec.needsNodePorts(service)
                && ServiceSpec.nodePorts(previous).equals(ServiceSpec.nodePorts(service))) {
            ServiceSpec.ports(service).forEach(port -> port.remove("nodePort"));
        }
        if (ServiceSpec.needsHealthCheck(previous) && !ServiceSpec.needsHealthCheck(service)
                && ServiceSpec.healthCheckNodePort(previous) == ServiceSpec.healthCheckNodePort(service)) {
            spec.remove("healthCheckNodePort");
        }
        if (ServiceSpec.type(previous).equals("LoadBalancer") && !ServiceSpec.type(service).equals("LoadBalancer")
                && Objects.equals(previous.path("spec").get("allocateLoadBalancerNodePorts"),
                        spec.get("allocateLoadBalancerNodePorts"))) {
            spec.remove("allocateLoadBalancerNodePorts");
        }
        boolean wasExternal = ServiceSpec.needsNodePorts(previous) || previous.path("spec").has("externalIPs");
        boolean isExternal = ServiceSpec.needsNodePorts(service) || spec.has("externalIPs");
        if (wasExternal && !isExternal && Objects.equals(previous.path("spec").get("externalTrafficPolicy"),
                spec.get("externalTrafficPolicy"))) {
            spec.remove("externalTrafficPolicy");
        }
    }
}
