package dev.skiff.apiserver.service;

import java.util.Objects;

/**
 * The service network of a cluster, part of the API server's configuration.
 *
 * @param clusterIpRange   where cluster IPs come from (10.96.0.0/16 by default, a common kube-apiserver setting)
 * @param nodePorts        where node ports come from (30000-32767)
 * @param advertiseAddress the address the {@code kubernetes} service's endpoints point at; null to use the bind
 *                         address (or, when bound to every interface, the host's first non-loopback address)
 */
public record ServiceNetwork(ServiceCidr clusterIpRange, PortRange nodePorts, String advertiseAddress) {

    public static final ServiceNetwork DEFAULT = new ServiceNetwork(ServiceCidr.parse("10.96.0.0/16"),
            PortRange.DEFAULT, null);

    public ServiceNetwork {
        Objects.requireNonNull(clusterIpRange, "clusterIpRange");
        Objects.requireNonNull(nodePorts, "nodePorts");
    }
}
