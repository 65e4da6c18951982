package dev.skiff.node.agent;

import dev.skiff.node.runtime.ComputeResources;
import dev.skiff.node.runtime.ContainerSpec;
import dev.skiff.node.runtime.EnvVar;
import dev.skiff.node.runtime.ImagePullPolicy;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.ResourceRequirements;
import dev.skiff.node.runtime.RestartPolicy;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Maps a Pod onto the {@link InstanceSpec} a runtime runs. Pure, thread-safe. Environment values are taken as
 * written; references to ConfigMaps, Secrets and the downward API are left out until the agent resolves them.
 */
final class PodSpecs {

    private PodSpecs() {
    }

    static InstanceSpec toSpec(Pod pod, InetAddress podIp) {
        return toSpec(pod, podIp, containers(pod.getSpec().getInitContainers()),
                containers(pod.getSpec().getContainers()));
    }

    /** The spec with containers the caller resolved (env, mounts) from {@link #container}. */
    static InstanceSpec toSpec(Pod pod, InetAddress podIp, List<ContainerSpec> init, List<ContainerSpec> main) {
        var meta = pod.getMetadata();
        var spec = pod.getSpec();
        Long grace = spec.getTerminationGracePeriodSeconds();
        return new InstanceSpec(InstanceId.of(meta.getUid()), meta.getNamespace(), meta.getName(), meta.getLabels(),
                meta.getAnnotations(), init, main,
                restartPolicy(spec.getRestartPolicy()), grace == null ? null : Duration.ofSeconds(grace), podIp);
    }

    private static List<ContainerSpec> containers(List<Container> containers) {
        return containers == null ? List.of() : containers.stream().map(PodSpecs::container).toList();
    }

    /** A container as written, literal env values only (the agent's {@code PodPreparation} resolves the rest). */
    static ContainerSpec container(Container c) {
        List<EnvVar> env = c.getEnv() == null ? List.of() : c.getEnv().stream()
                .filter(e -> e.getValueFrom() == null)
                .map(e -> new EnvVar(e.getName(), e.getValue()))
                .toList();
        ResourceRequirements resources = ResourceRequirements.NONE;
        if (c.getResources() != null) {
            resources = new ResourceRequirements(amounts(c.getResources().getRequests()),
                    amounts(c.getResources().getLimits()));
        }
        return new ContainerSpec(c.getName(), c.getImage(), pullPolicy(c.getImagePullPolicy()), c.getCommand(),
                c.getArgs(), c.getWorkingDir(), env, resources, Boolean.TRUE.equals(c.getStdin()),
                Boolean.TRUE.equals(c.getTty()));
    }

    private static ComputeResources amounts(Map<String, Quantity> quantities) {
        if (quantities == null) {
            return ComputeResources.NONE;
        }
        return new ComputeResources(
                amount(quantities.get("cpu")).multiply(BigDecimal.valueOf(1000)).longValue(),
                amount(quantities.get("memory")).longValue(),
                amount(quantities.get("ephemeral-storage")).longValue());
    }

    private static BigDecimal amount(Quantity q) {
        return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
    }

    private static ImagePullPolicy pullPolicy(String policy) {
        if (policy == null) {
            return null;
        }
        return switch (policy) {
            case "Always" -> ImagePullPolicy.ALWAYS;
            case "Never" -> ImagePullPolicy.NEVER;
            default -> ImagePullPolicy.IF_NOT_PRESENT;
        };
    }

    private static RestartPolicy restartPolicy(String policy) {
        if (policy == null) {
            return RestartPolicy.ALWAYS;
        }
        return switch (policy) {
            case "OnFailure" -> RestartPolicy.ON_FAILURE;
            case "Never" -> RestartPolicy.NEVER;
            default -> RestartPolicy.ALWAYS;
        };
    }
}
