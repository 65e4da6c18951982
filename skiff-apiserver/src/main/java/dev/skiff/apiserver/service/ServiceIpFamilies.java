package dev.skiff.apiserver.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Fills in and checks {@code ipFamilyPolicy}, {@code ipFamilies} and {@code clusterIPs} the way upstream's
 * allocator does before it allocates ({@code initIPFamilyFields} with the loose
 * {@code ValidateServiceClusterIPsRelatedFields} checks), for a cluster with one service IP family. Defaults:
 * SingleStack and the cluster's family; a headless service without selector is RequireDualStack with both families
 * (upstream allows that even on a single-stack cluster, for DNS).
 */
final class ServiceIpFamilies {

    private static final List<String> FAMILIES = List.of("IPv4", "IPv6");
    private static final List<String> POLICIES = List.of("PreferDualStack", "RequireDualStack", "SingleStack");
    private static final String BAD_IP = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

    private ServiceIpFamilies() {
    }

    /** Completes the family fields of {@code service} ({@code previous} null on create); throws 422 if they clash. */
    static void initialize(ObjectNode service, ObjectNode previous, String clusterFamily) {
        if (!ServiceSpec.needsClusterIP(service)) {
            return;
        }
        String name = ServiceSpec.name(service);
        String policy = ServiceSpec.ipFamilyPolicy(service);
        if (policy == null) {
            if (previous != null && ServiceSpec.ipFamilyPolicy(previous) != null) {
                policy = ServiceSpec.ipFamilyPolicy(previous);
            } else if (ServiceSpec.clusterIP(service).equals(ServiceSpec.NONE) && !ServiceSpec.hasSelector(service)) {
                policy = "RequireDualStack";
            } else {
                policy = "SingleStack";
            }
            ServiceSpec.setIpFamilyPolicy(service, policy);
        }
        looseValidation(service).throwIfAny(name);

        FieldErrors errors = new FieldErrors();
        List<String> ips = ServiceSpec.orEmpty(ServiceSpec.clusterIPs(service));
        List<String> families = new ArrayList<>(ServiceSpec.orEmpty(ServiceSpec.ipFamilies(service)));
        if (previous != null) {
            if (policy.equals("SingleStack")) {
                // Setting SingleStack is how a client drops a secondary IP or family it left unchanged.
                if (ServiceSpec.sameClusterIPs(previous, service) && ips.size() > 1) {
                    ips = List.of(ips.get(0));
                    ServiceSpec.setClusterIPs(service, ips);
                }
                if (ServiceSpec.sameIpFamilies(previous, service) && families.size() > 1) {
                    families = new ArrayList<>(families.subList(0, 1));
                }
            } else {
                if (ips.size() < ServiceSpec.orEmpty(ServiceSpec.clusterIPs(previous)).size()) {
                    errors.invalid("spec.ipFamilyPolicy", GoValues.quoted(policy),
                            "must be 'SingleStack' to release the secondary cluster IP");
                }
                if (families.size() < ServiceSpec.orEmpty(ServiceSpec.ipFamilies(previous)).size()) {
                    errors.invalid("spec.ipFamilyPolicy", GoValues.quoted(policy),
                            "must be 'SingleStack' to release the secondary IP family");
                }
            }
        }
        if (policy.equals("SingleStack")) {
            if (ips.size() == 2) {
                errors.invalid("spec.ipFamilyPolicy", GoValues.quoted(policy),
                        "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified");
            }
            if (families.size() == 2) {
                errors.invalid("spec.ipFamilyPolicy", GoValues.quoted(policy),
                        "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified");
            }
        }
        for (int i = 0; i < ips.size(); i++) {
            String ip = ips.get(i);
            if (ip.equals(ServiceSpec.NONE)) {
                break;
            }
            String family = IpAddresses.isV6(ip) ? "IPv6" : "IPv4";
            if (i >= families.size()) {
                if (!family.equals(clusterFamily)) {
                    errors.invalid("spec.clusterIPs[" + i + "]", GoValues.stringSlice(ips),
                            family + " is not configured on this cluster");
                } else {
                    families.add(family);
                }
            }
        }
        errors.throwIfAny(name);

        if (ServiceSpec.clusterIP(service).equals(ServiceSpec.NONE) && !ServiceSpec.hasSelector(service)) {
            if (families.isEmpty()) {
                families.add(clusterFamily);
            }
            if (families.size() < 2 && !policy.equals("SingleStack")) {
                families.add(families.get(0).equals("IPv4") ? "IPv6" : "IPv4");
            }
            ServiceSpec.setIpFamilies(service, families);
            return;
        }
        if (policy.equals("RequireDualStack")) {
            errors.invalid("spec.ipFamilyPolicy", GoValues.quoted(policy),
                    "this cluster is not configured for dual-stack services");
        }
        for (int i = 0; i < families.size(); i++) {
            if (!families.get(i).equals(clusterFamily)) {
                errors.invalid("spec.ipFamilies[" + i + "]", GoValues.quoted(families.get(i)),
                        "not configured on this cluster");
            }
        }
        errors.throwIfAny(name);
        if (families.isEmpty()) {
            families.add(clusterFamily);
        }
        ServiceSpec.setIpFamilies(service, families);
    }

    /** Upstream's ValidateServiceClusterIPsRelatedFields (for services that are not ExternalName). */
    static FieldErrors looseValidation(ObjectNode service) {
        FieldErrors errors = new FieldErrors();
        String clusterIP = ServiceSpec.clusterIP(service);
        List<String> ips = ServiceSpec.clusterIPs(service);
        List<String> listed = ServiceSpec.orEmpty(ips);
        if (!clusterIP.isEmpty()) {
            if (listed.isEmpty()) {
                errors.required("spec.clusterIPs");
            } else if (!listed.get(0).equals(clusterIP)) {
                errors.invalid("spec.clusterIPs", GoValues.stringSlice(ips), "first value must match `clusterIP`");
            }
        } else if (!listed.isEmpty()) {
            errors.invalid("spec.clusterIPs", GoValues.stringSlice(ips),
                    "must be empty when `clusterIP` is not specified");
        }
        Set<String> seen = new HashSet<>();
        List<String> families = ServiceSpec.orEmpty(ServiceSpec.ipFamilies(service));
        for (int i = 0; i < families.size(); i++) {
            String family = families.get(i);
            if (!FAMILIES.contains(family)) {
                errors.notSupported("spec.ipFamilies[" + i + "]", family, FAMILIES);
            }
            if (!seen.add(family)) {
                errors.duplicate("spec.ipFamilies[" + i + "]", GoValues.quoted(family));
            }
        }
        String policy = ServiceSpec.ipFamilyPolicy(service);
        if (policy != null && !POLICIES.contains(policy)) {
            errors.notSupported("spec.ipFamilyPolicy", policy, POLICIES);
        }
        boolean badIPs = false;
        for (int i = 0; i < listed.size(); i++) {
            String ip = listed.get(i);
            if (i == 0 && ip.equals(ServiceSpec.NONE)) {
                if (listed.size() > 1) {
                    badIPs = true;
                    errors.invalid("spec.clusterIPs", GoValues.stringSlice(ips), "'None' must be the first and only value");
                }
                continue;
            }
            if (IpAddresses.parse(ip).isEmpty()) {
                badIPs = true;
                errors.invalid("spec.clusterIPs[" + i + "]", GoValues.quoted(ip), BAD_IP);
            }
        }
        if (listed.size() > 2) {
            errors.invalid("spec.clusterIPs", GoValues.stringSlice(ips), "may only hold up to 2 values");
        }
        if (badIPs) {
            return errors;
        }
        if (listed.size() > 1 && Objects.equals(IpAddresses.isV6(listed.get(0)), IpAddresses.isV6(listed.get(1)))) {
            errors.invalid("spec.clusterIPs", GoValues.stringSlice(ips),
                    "may specify no more than one IP for each IP family");
        }
        if (!ServiceSpec.isHeadless(service)) {
            for (int i = 0; i < listed.size() && i < families.size(); i++) {
                boolean v6 = IpAddresses.isV6(listed.get(i));
                if (families.get(i).equals("IPv4") && v6) {
                    errors.invalid("spec.clusterIPs[" + i + "]", GoValues.quoted(listed.get(i)),
                            "expected an IPv4 value as indicated by `ipFamilies[" + i + "]`");
                }
                if (families.get(i).equals("IPv6") && !v6) {
                    errors.invalid("spec.clusterIPs[" + i + "]", GoValues.quoted(listed.get(i)),
                            "expected an IPv6 value as indicated by `ipFamilies[" + i + "]`");
                }
            }
        }
        return errors;
    }
}
