package dev.skiff.node.agent;

import dev.skiff.node.runtime.RuntimeInfo;
import io.fabric8.kubernetes.api.model.NodeAddressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** Builds the Node a virtual kubelet registers and the status it reports. Pure functions, thread-safe. */
final class NodeObjects {

    static final String TAINT_KEY = "virtual-kubelet.io/provider";
    static final String VSWITCH_LABEL = "k8s.aliyun.com/vswitch-id"; // the scheduler's ECI placement reads it (decision 015)
    static final String KUBELET_VERSION = "v1.32.0-skiff";
    /** The kubelet's default {@code --port}, published by nodes that serve no kubelet endpoints. */
    static final int DEFAULT_KUBELET_PORT = 10250;

    private NodeObjects() {
    }

    /** The Node as registered: labels a virtual-kubelet node carries, its provider taint, no status yet. */
    static Node node(NodeConfig config) {
        // Labels as virtual-kubelet sets them (type, role) plus the well-known topology and OS labels the kubelet
        // sets on registration, so zone spreading and nodeSelectors work as on a real node.
        return new NodeBuilder()
                .withNewMetadata()
                .withName(config.nodeName())
                .withLabels(Map.of(
                        "type", "virtual-kubelet",
                        "kubernetes.io/role", "agent",
                        "kubernetes.io/hostname", config.nodeName(),
                        "kubernetes.io/os", "linux",
                        "kubernetes.io/arch", "amd64",
                        "topology.kubernetes.io/zone", config.zone(),
                        VSWITCH_LABEL, config.vSwitch()))
                .endMetadata()
                .withNewSpec()
                .withPodCIDR(config.podCidr().toString())
                .withPodCIDRs(config.podCidr().toString())
                // Only pods that tolerate the provider land here, as virtual-kubelet taints its nodes.
                .withTaints(new TaintBuilder().withKey(TAINT_KEY).withValue(config.provider())
                        .withEffect("NoSchedule").build())
                .endSpec()
                .build();
    }

    /** The status the kubelet's node status setters would write: capacity, Ready and the pressure conditions. */
    static NodeStatus status(NodeConfig config, RuntimeInfo runtime, Instant now, Instant readySince) {
        return status(config, runtime, now, readySince, DEFAULT_KUBELET_PORT);
    }

    /**
     * The status with the port the node's kubelet server listens on: kube-apiserver dials the node's address at
     * {@code daemonEndpoints.kubeletEndpoint.Port} for logs, exec, attach and port-forward.
     */
    static NodeStatus status(NodeConfig config, RuntimeInfo runtime, Instant now, Instant readySince,
                             int kubeletPort) {
        NodeCapacity c = config.capacity();
        Map<String, Quantity> amounts = Map.of(
                "cpu", new Quantity(c.cpu()),
                "memory", new Quantity(c.memory()),
                "pods", new Quantity(c.pods()),
                "ephemeral-storage", new Quantity(c.ephemeralStorage()));
        return new NodeStatusBuilder()
                .withCapacity(amounts)
                .withAllocatable(amounts)
                .withConditions(
                        condition("MemoryPressure", "False", "KubeletHasSufficientMemory",
                                "kubelet has sufficient memory available", now, readySince),
                        condition("DiskPressure", "False", "KubeletHasNoDiskPressure",
                                "kubelet has no disk pressure", now, readySince),
                        condition("PIDPressure", "False", "KubeletHasSufficientPID",
                                "kubelet has sufficient PID available", now, readySince),
                        condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", now,
                                readySince))
                .withAddresses(
                        new NodeAddressBuilder().withType("InternalIP").withAddress(config.internalIp()).build(),
                        new NodeAddressBuilder().withType("Hostname").withAddress(config.nodeName()).build())
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(kubeletPort).endKubeletEndpoint()
                .endDaemonEndpoints()
                .withNewNodeInfo()
                .withArchitecture("amd64")
                .withOperatingSystem("linux")
                .withOsImage("Skiff virtual node")
                .withKernelVersion("")
                .withKubeletVersion(KUBELET_VERSION)
                .withKubeProxyVersion("")
                .withContainerRuntimeVersion(runtime.runtimeVersion())
                .withMachineID(config.nodeName())
                .withSystemUUID(config.nodeName())
                .withBootID(config.nodeName())
                .endNodeInfo()
                .build();
    }

    private static NodeCondition condition(String type, String status, String reason, String message, Instant now,
                                           Instant since) {
        return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastHeartbeatTime(time(now)).withLastTransitionTime(time(since)).build();
    }

    /** RFC 3339 with second precision, as metav1.Time serializes. */
    static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
