package dev.skiff.control.controller.endpoint;

import dev.skiff.control.controller.Pods;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Which pods back a Service and on which ports, as upstream's {@code endpointslice/util} helpers shared by both
 * endpoint controllers. Pure functions.
 */
public final class PodEndpoints {

    private PodEndpoints() {
    }

    /**
     * Upstream's {@code ShouldPodBeInEndpoints}: a pod that has finished (Succeeded or Failed) or has no address
     * yet is never an endpoint; a terminating pod only if {@code includeTerminating} (EndpointSlices always include
     * them, flagged {@code terminating}; Endpoints only for {@code publishNotReadyAddresses}).
     */
    public static boolean shouldBeInEndpoints(Pod pod, boolean includeTerminating) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return false;
        }
        if (ips(pod).isEmpty()) {
            return false;
        }
        return includeTerminating || pod.getMetadata().getDeletionTimestamp() == null;
    }

    /** The pod's addresses: {@code status.podIPs}, else {@code status.podIP}. */
    public static List<String> ips(Pod pod) {
        List<String> ips = new ArrayList<>();
        if (pod.getStatus() == null) {
            return ips;
        }
        if (pod.getStatus().getPodIPs() != null) {
            for (PodIP ip : pod.getStatus().getPodIPs()) {
                if (ip.getIp() != null && !ip.getIp().isEmpty()) {
                    ips.add(ip.getIp());
                }
            }
        }
        String single = pod.getStatus().getPodIP();
        if (ips.isEmpty() && single != null && !single.isEmpty()) {
            ips.add(single);
        }
        return ips;
    }

    /** The pod's first address of the family ({@code IPv4} or {@code IPv6}), or {@code null}. */
    public static String ipOfFamily(Pod pod, String family) {
        for (String ip : ips(pod)) {
            if (isIpv6(ip) == "IPv6".equals(family)) {
                return ip;
            }
        }
        return null;
    }

    static boolean isIpv6(String ip) {
        return ip.indexOf(':') >= 0;
    }

    public static boolean isReady(Pod pod) {
        return Pods.isReady(pod);
    }

    /**
     * Upstream's {@code FindPort}: a numeric targetPort is used as is (an absent one means the service port, as
     * the API server defaults it); a named one is looked up among the containers' ports (and restartable init
     * containers', i.e. sidecars) with the same name and protocol. Empty if the pod has no such port.
     */
    public static OptionalInt findPort(Pod pod, ServicePort servicePort) {
        IntOrString target = servicePort.getTargetPort();
        if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
            return servicePort.getPort() == null ? OptionalInt.empty() : OptionalInt.of(servicePort.getPort());
        }
        if (target.getIntVal() != null) {
            return OptionalInt.of(target.getIntVal());
        }
        String name = target.getStrVal();
        String protocol = protocol(servicePort.getProtocol());
        if (pod.getSpec() == null) {
            return OptionalInt.empty();
        }
        List<Container> candidates = new ArrayList<>();
        if (pod.getSpec().getContainers() != null) {
            candidates.addAll(pod.getSpec().getContainers());
        }
        if (pod.getSpec().getInitContainers() != null) {
            for (Container init : pod.getSpec().getInitContainers()) {
                if ("Always".equals(init.getRestartPolicy())) {
                    candidates.add(init);
                }
            }
        }
        for (Container container : candidates) {
            if (container.getPorts() == null) {
                continue;
            }
            for (ContainerPort port : container.getPorts()) {
                if (name.equals(port.getName()) && protocol.equals(protocol(port.getProtocol()))
                        && port.getContainerPort() != null) {
                    return OptionalInt.of(port.getContainerPort());
                }
            }
        }
        return OptionalInt.empty();
    }

    /** The API server defaults protocols to TCP; an object read before defaulting may lack it. */
    static String protocol(String protocol) {
        return protocol == null || protocol.isEmpty() ? "TCP" : protocol;
    }

    /** Upstream's {@code ShouldSetHostname}: the pod names this service as its subdomain and has a hostname. */
    public static boolean shouldSetHostname(Pod pod, Service service) {
        if (pod.getSpec() == null) {
            return false;
        }
        String hostname = pod.getSpec().getHostname();
        return hostname != null && !hostname.isEmpty()
                && Objects.equals(pod.getSpec().getSubdomain(), service.getMetadata().getName())
                && Objects.equals(pod.getMetadata().getNamespace(), service.getMetadata().getNamespace());
    }

    /**
     * The service's selector, or {@code null} if it has none. The model cannot tell an absent selector from an
     * empty one; both mean "no selector" here (endpoints for such services are managed by their users).
     */
    public static Map<String, String> selector(Service service) {
        Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
        return selector == null || selector.isEmpty() ? null : selector;
    }

    /** Whether the labels satisfy the equality-based selector. */
    public static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        for (Map.Entry<String, String> requirement : selector.entrySet()) {
            if (labels == null || !requirement.getValue().equals(labels.get(requirement.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Whether the service is headless ({@code clusterIP: None}) or has no cluster IP at all. */
    public static boolean headless(Service service) {
        String clusterIp = service.getSpec() == null ? null : service.getSpec().getClusterIP();
        return clusterIp == null || clusterIp.isEmpty() || "None".equals(clusterIp);
    }

    /**
     * Whether an update of the pod can change any endpoint (upstream's {@code podEndpointsChanged}): its labels,
     * addresses, readiness, deletion, phase, node or hostname. Other updates (most status churn) are ignored.
     */
    public static boolean endpointsChanged(Pod before, Pod after) {
        return !Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())
                || !ips(before).equals(ips(after))
                || isReady(before) != isReady(after)
                || !Objects.equals(before.getMetadata().getDeletionTimestamp(),
                        after.getMetadata().getDeletionTimestamp())
                || !Objects.equals(phase(before), phase(after))
                || !Objects.equals(spec(before, "node"), spec(after, "node"))
                || !Objects.equals(spec(before, "host"), spec(after, "host"))
                || !Objects.equals(readyTransition(before), readyTransition(after));
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    private static String spec(Pod pod, String what) {
        if (pod.getSpec() == null) {
            return null;
        }
        return what.equals("node") ? pod.getSpec().getNodeName()
                : pod.getSpec().getHostname() + "." + pod.getSpec().getSubdomain();
    }

    private static String readyTransition(Pod pod) {
        var ready = Pods.readyCondition(pod);
        return ready == null ? null : ready.getLastTransitionTime();
    }
}
