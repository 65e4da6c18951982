package dev.skiff.node.cri;

import dev.skiff.node.cri.proto.Capability;
import dev.skiff.node.cri.proto.ContainerConfig;
import dev.skiff.node.cri.proto.ContainerMetadata;
import dev.skiff.node.cri.proto.DNSConfig;
import dev.skiff.node.cri.proto.ImageSpec;
import dev.skiff.node.cri.proto.Int64Value;
import dev.skiff.node.cri.proto.KeyValue;
import dev.skiff.node.cri.proto.LinuxContainerConfig;
import dev.skiff.node.cri.proto.LinuxContainerResources;
import dev.skiff.node.cri.proto.LinuxContainerSecurityContext;
import dev.skiff.node.cri.proto.LinuxPodSandboxConfig;
import dev.skiff.node.cri.proto.LinuxSandboxSecurityContext;
import dev.skiff.node.cri.proto.Mount;
import dev.skiff.node.cri.proto.NamespaceMode;
import dev.skiff.node.cri.proto.NamespaceOption;
import dev.skiff.node.cri.proto.PodSandboxConfig;
import dev.skiff.node.cri.proto.PodSandboxMetadata;
import dev.skiff.node.cri.proto.SecurityProfile;
import dev.skiff.node.runtime.ComputeResources;
import dev.skiff.node.runtime.ContainerSecurity;
import dev.skiff.node.runtime.ContainerSpec;
import dev.skiff.node.runtime.EnvVar;
import dev.skiff.node.runtime.InstanceSpec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Maps an {@link InstanceSpec} onto CRI sandbox and container configurations, as the kubelet does for a Pod. */
final class CriSpecs {

    /** Labels Skiff puts on its sandboxes and containers (CRI label selectors find them again). */
    static final String OWNER_LABEL = "skiff.dev/owner";
    static final String INSTANCE_LABEL = "skiff.dev/instance";
    static final String INIT_LABEL = "skiff.dev/init";
    static final String RESTART_POLICY_ANNOTATION = "skiff.dev/restart-policy";
    static final String GRACE_ANNOTATION = "skiff.dev/grace-period-ms";
    static final String NAMESPACE_LABEL = "io.kubernetes.pod.namespace";
    static final String NAME_LABEL = "io.kubernetes.pod.name";

    /** The CFS period the kubelet uses (100 ms), and its shares per core (1024). */
    static final long CFS_PERIOD_US = 100_000;
    static final long SHARES_PER_CORE = 1024;
    static final long MIN_SHARES = 2;

    private CriSpecs() {
    }

    /** The directory of an instance's container logs, named as the kubelet names it under /var/log/pods. */
    static Path logDirectory(CriRuntimeConfig config, InstanceSpec spec) {
        return config.logRoot().resolve(spec.namespace() + "_" + spec.name() + "_" + spec.id().value());
    }

    static PodSandboxConfig sandbox(CriRuntimeConfig config, InstanceSpec spec) {
        Map<String, String> labels = new HashMap<>(spec.labels());
        labels.put(OWNER_LABEL, config.owner());
        labels.put(INSTANCE_LABEL, spec.id().value());
        labels.put(NAMESPACE_LABEL, spec.namespace());
        labels.put(NAME_LABEL, spec.name());
        Map<String, String> annotations = new HashMap<>(spec.annotations());
        annotations.put(RESTART_POLICY_ANNOTATION, spec.restartPolicy().name());
        annotations.put(GRACE_ANNOTATION, Long.toString(spec.gracePeriod().toMillis()));
        // Own network, PID and IPC namespaces (POD for all containers of the pod, as a pod shares them), the
        // runtime's default seccomp profile, never privileged: the isolation an elastic container instance promises.
        LinuxSandboxSecurityContext security = LinuxSandboxSecurityContext.newBuilder()
                .setNamespaceOptions(NamespaceOption.newBuilder().setNetwork(NamespaceMode.POD)
                        .setPid(NamespaceMode.POD).setIpc(NamespaceMode.POD))
                .setPrivileged(false)
                .setSeccomp(SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.RuntimeDefault))
                .build();
        PodSandboxConfig.Builder builder = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(spec.name()).setNamespace(spec.namespace())
                        .setUid(spec.id().value()).setAttempt(0))
                .setHostname(hostname(spec.name()))
                .setLogDirectory(logDirectory(config, spec).toString())
                .putAllLabels(labels)
                .putAllAnnotations(annotations)
                .setLinux(LinuxPodSandboxConfig.newBuilder()
                        .setCgroupParent(config.cgroupParent() + "/pod" + spec.id().value())
                        .setSecurityContext(security));
        if (!config.dnsServers().isEmpty()) {
            builder.setDnsConfig(DNSConfig.newBuilder().addAllServers(config.dnsServers()));
        }
        return builder.build();
    }

    /** A pod name as a hostname: at most 63 characters, as the kubelet truncates it. */
    static String hostname(String podName) {
        String name = podName.length() > 63 ? podName.substring(0, 63) : podName;
        while (name.endsWith("-") || name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }

    static ContainerConfig container(CriRuntimeConfig config, InstanceSpec spec, ContainerSpec c, boolean init,
                                     int attempt) {
        ContainerConfig.Builder builder = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(c.name()).setAttempt(attempt))
                .setImage(ImageSpec.newBuilder().setImage(c.image()))
                .addAllCommand(c.command())
                .addAllArgs(c.args())
                .setLogPath(c.name() + "/" + attempt + ".log")
                .putLabels(OWNER_LABEL, config.owner())
                .putLabels(INSTANCE_LABEL, spec.id().value())
                .putLabels(INIT_LABEL, Boolean.toString(init))
                .setStdin(c.stdin())
                .setTty(c.tty())
                .setLinux(LinuxContainerConfig.newBuilder()
                        .setResources(resources(config, c))
                        .setSecurityContext(security(c.security())));
        if (c.workingDir() != null && !c.workingDir().isEmpty()) {
            builder.setWorkingDir(c.workingDir());
        }
        for (EnvVar env : c.env()) {
            builder.addEnvs(KeyValue.newBuilder().setKey(env.name()).setValue(env.value()));
        }
        for (dev.skiff.node.runtime.Mount m : c.mounts()) {
            builder.addMounts(Mount.newBuilder().setContainerPath(m.containerPath())
                    .setHostPath(m.hostPath().toString()).setReadonly(m.readOnly()));
        }
        return builder.build();
    }

    /**
     * Limits become the cgroup: CPU quota per 100 ms period and a memory limit; requests become CPU shares, as the
     * kubelet computes them. Without limits the container gets ECI's default instance size.
     */
    static LinuxContainerResources resources(CriRuntimeConfig config, ContainerSpec c) {
        ComputeResources limits = c.resources().limits();
        ComputeResources requests = c.resources().requests();
        long cpuLimit = limits.cpuMillis() > 0 ? limits.cpuMillis() : config.defaultLimits().cpuMillis();
        long memoryLimit = limits.memoryBytes() > 0 ? limits.memoryBytes() : config.defaultLimits().memoryBytes();
        long cpuRequest = requests.cpuMillis() > 0 ? requests.cpuMillis() : cpuLimit;
        return LinuxContainerResources.newBuilder()
                .setCpuPeriod(CFS_PERIOD_US)
                .setCpuQuota(Math.max(1000, cpuLimit * CFS_PERIOD_US / 1000))
                .setCpuShares(Math.max(MIN_SHARES, cpuRequest * SHARES_PER_CORE / 1000))
                .setMemoryLimitInBytes(memoryLimit)
                .build();
    }

    static LinuxContainerSecurityContext security(ContainerSecurity s) {
        LinuxContainerSecurityContext.Builder builder = LinuxContainerSecurityContext.newBuilder()
                .setPrivileged(false)
                .setNamespaceOptions(NamespaceOption.newBuilder().setNetwork(NamespaceMode.POD)
                        .setPid(NamespaceMode.CONTAINER).setIpc(NamespaceMode.POD))
                .setSeccomp(SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.RuntimeDefault))
                .setReadonlyRootfs(s.readOnlyRootFilesystem())
                .addAllSupplementalGroups(s.supplementalGroups())
                .setCapabilities(Capability.newBuilder().addAllAddCapabilities(s.addCapabilities())
                        .addAllDropCapabilities(s.dropCapabilities()))
                // allowPrivilegeEscalation=false sets no_new_privs (the kubelet's mapping).
                .setNoNewPrivs(Boolean.FALSE.equals(s.allowPrivilegeEscalation()));
        if (s.runAsUser() != null) {
            builder.setRunAsUser(Int64Value.newBuilder().setValue(s.runAsUser()));
        }
        if (s.runAsGroup() != null) {
            builder.setRunAsGroup(Int64Value.newBuilder().setValue(s.runAsGroup()));
        }
        return builder.build();
    }
}
