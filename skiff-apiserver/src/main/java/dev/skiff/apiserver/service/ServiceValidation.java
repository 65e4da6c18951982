package dev.skiff.apiserver.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parts of upstream's {@code ValidateService} and {@code ValidateServiceUpdate} that concern types, ports and
 * cluster IPs, worded as kube-apiserver words them. Stateless.
 */
final class ServiceValidation {

    private static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
    private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    private static final Pattern SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private ServiceValidation() {
    }

    /** Throws 422 unless {@code service} is valid; {@code previous} is null on create. */
    static void validate(ObjectNode service, ObjectNode previous) {
        FieldErrors errors = new FieldErrors();
        if (previous != null) {
            upgradeDowngrade(previous, service, errors);
        }
        String type = ServiceSpec.type(service);
        if (!TYPES.contains(type)) {
            errors.notSupported("spec.type", type, TYPES);
        }
        List<ObjectNode> ports = ServiceSpec.ports(service);
        if (ports.isEmpty() && !ServiceSpec.isHeadless(service) && !type.equals("ExternalName")) {
            errors.required("spec.ports");
        }
        switch (type) {
            case "NodePort", "LoadBalancer" -> {
                if (ServiceSpec.isHeadless(service)) {
                    errors.invalid("spec.clusterIPs[0]", GoValues.quoted(ServiceSpec.NONE),
                            "may not be set to 'None' for " + type + " services");
                }
            }
            case "ExternalName" -> {
                if (!ServiceSpec.orEmpty(ServiceSpec.clusterIPs(service)).isEmpty()) {
                    errors.forbidden("spec.clusterIPs", "may not be set for ExternalName services");
                }
                if (!ServiceSpec.orEmpty(ServiceSpec.ipFamilies(service)).isEmpty()) {
                    errors.forbidden("spec.ipFamilies", "may not be set for ExternalName services");
                }
                if (ServiceSpec.ipFamilyPolicy(service) != null) {
                    errors.forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services");
                }
                // A trailing dot marks the name fully qualified.
                String cname = service.path("spec").path("externalName").asText("");
                cname = cname.endsWith(".") ? cname.substring(0, cname.length() - 1) : cname;
                if (cname.isEmpty()) {
                    errors.required("spec.externalName");
                } else if (cname.length() > 253 || !SUBDOMAIN.matcher(cname).matches()) {
                    errors.invalid("spec.externalName", GoValues.quoted(cname), "a lowercase RFC 1123 subdomain "
                            + "must consist of lower case alphanumeric characters, '-' or '.', and must start and end "
                            + "with an alphanumeric character (e.g. 'example.com', regex used for validation is '"
                            + SUBDOMAIN.pattern() + "')");
                }
            }
            default -> {
            }
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ObjectNode port = ports.get(i);
            String path = "spec.ports[" + i + "]";
            String name = port.path("name").asText("");
            if (ports.size() > 1 && name.isEmpty()) {
                errors.required(path + ".name");
            } else if (!name.isEmpty() && !names.add(name)) {
                errors.duplicate(path + ".name", GoValues.quoted(name));
            }
            JsonNode number = port.path("port");
            if (!number.canConvertToInt() || number.asInt() < 1 || number.asInt() > 65535) {
                errors.invalid(path + ".port", number.asText("0"), "must be between 1 and 65535, inclusive");
            }
            String protocol = port.path("protocol").asText("TCP");
            if (!PROTOCOLS.contains(protocol)) {
                errors.notSupported(path + ".protocol", protocol, PROTOCOLS);
            }
            int nodePort = port.path("nodePort").asInt(0);
            if (type.equals("ClusterIP") && nodePort != 0) {
                errors.forbidden(path + ".nodePort", "may not be used when `type` is 'ClusterIP'");
            }
        }
        errors.throwIfAny(ServiceSpec.name(service));
    }

    /**
     * Upstream's validateUpgradeDowngradeClusterIPs and ...IPFamilies: the cluster IPs (and their families) of a
     * service may not change once set, except by switching to or from ExternalName.
     */
    private static void upgradeDowngrade(ObjectNode previous, ObjectNode service, FieldErrors errors) {
        if (!ServiceSpec.needsClusterIP(service) || !ServiceSpec.needsClusterIP(previous)) {
            return;
        }
        boolean wasHeadless = ServiceSpec.isHeadless(previous);
        boolean isHeadless = ServiceSpec.isHeadless(service);
        List<String> oldIPs = ServiceSpec.orEmpty(ServiceSpec.clusterIPs(previous));
        List<String> newIPs = ServiceSpec.clusterIPs(service);
        List<String> ips = ServiceSpec.orEmpty(newIPs);
        if (!(wasHeadless && isHeadless)) {
            String shown = GoValues.stringSlice(newIPs);
            if (oldIPs.size() == ips.size()) {
                for (int i = 0; i < oldIPs.size(); i++) {
                    if (!oldIPs.get(i).equals(ips.get(i))) {
                        errors.invalid("spec.clusterIPs[" + i + "]", shown, "may not change once set");
                    }
                }
            } else if (oldIPs.size() > ips.size()) {
                if (ips.isEmpty()) {
                    errors.invalid("spec.clusterIPs[0]", shown, "primary clusterIP can not be unset");
                } else if (!ips.get(0).equals(oldIPs.get(0))) {
                    errors.invalid("spec.clusterIPs[0]", shown, "may not change once set");
                }
            } else if (!oldIPs.isEmpty() && !ips.get(0).equals(oldIPs.get(0))) {
                errors.invalid("spec.clusterIPs[0]", shown, "may not change once set");
            }
        }
        if (wasHeadless != isHeadless || isHeadless) {
            return;
        }
        List<String> oldFamilies = ServiceSpec.orEmpty(ServiceSpec.ipFamilies(previous));
        List<String> families = ServiceSpec.orEmpty(ServiceSpec.ipFamilies(service));
        if (!families.isEmpty() && !oldFamilies.isEmpty() && !families.get(0).equals(oldFamilies.get(0))) {
            errors.invalid("spec.ipFamilies[0]", GoValues.stringSlice(ServiceSpec.ipFamilies(service)),
                    "may not change once set");
        }
    }
}
