package dev.skiff.node.runtime;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What to run as one instance: the runtime's view of a pod. The node agent maps a Pod onto it (uid → id,
 * {@code spec.containers}, {@code spec.initContainers}, {@code spec.restartPolicy},
 * {@code spec.terminationGracePeriodSeconds}, metadata labels and annotations) after resolving everything that needs
 * the Kubernetes API (env references, the pod IP from its IPAM). Specs are compared with {@code equals}: creating an
 * existing instance with an equal spec is a no-op, with a different one an error.
 *
 * @param id             the instance's key in the runtime: the pod's UID
 * @param namespace      the pod's namespace (for logs, metrics and labels; the runtime keys nothing on it)
 * @param name           the pod's name
 * @param labels         the pod's labels
 * @param annotations    the pod's annotations (runtimes may read their own, e.g. the simulated runtime's behaviour)
 * @param initContainers run one after another to completion before the containers start
 * @param containers     at least one; started together once the init containers succeeded
 * @param restartPolicy  when exited containers start again
 * @param gracePeriod    how long a container may take to stop after SIGTERM before it is killed, unless a delete
 *                       names another (the pod's {@code terminationGracePeriodSeconds}, 30 s by default)
 * @param podIp          the address the node agent's IPAM gave the pod, or null when the runtime assigns none
 * @param pullCredentials registry credentials from the pod's {@code imagePullSecrets} (or its ServiceAccount's),
 *                       which a runtime that pulls images chooses from per image with {@link RegistryKeyring}; empty
 *                       for anonymous pulls. Runtimes never see the Secrets themselves.
 */
public record InstanceSpec(InstanceId id, String namespace, String name, Map<String, String> labels,
                           Map<String, String> annotations, List<ContainerSpec> initContainers,
                           List<ContainerSpec> containers, RestartPolicy restartPolicy, Duration gracePeriod,
                           InetAddress podIp, List<RegistryCredential> pullCredentials) {

    /** The kubelet's default when a pod names no {@code terminationGracePeriodSeconds}. */
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(30);

    public InstanceSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        initContainers = initContainers == null ? List.of() : List.copyOf(initContainers);
        containers = containers == null ? List.of() : List.copyOf(containers);
        restartPolicy = restartPolicy == null ? RestartPolicy.ALWAYS : restartPolicy;
        gracePeriod = gracePeriod == null ? DEFAULT_GRACE_PERIOD : gracePeriod;
        pullCredentials = pullCredentials == null ? List.of() : List.copyOf(pullCredentials);
        if (containers.isEmpty()) {
            throw new IllegalArgumentException("instance " + id + " needs at least one container");
        }
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("grace period must not be negative: " + gracePeriod);
        }
        Set<String> names = new HashSet<>();
        Stream.concat(initContainers.stream(), containers.stream()).forEach(c -> {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("instance " + id + " has two containers named '" + c.name() + "'");
            }
        });
    }

    /** A spec without pull credentials (anonymous pulls). */
    public InstanceSpec(InstanceId id, String namespace, String name, Map<String, String> labels,
                        Map<String, String> annotations, List<ContainerSpec> initContainers,
                        List<ContainerSpec> containers, RestartPolicy restartPolicy, Duration gracePeriod,
                        InetAddress podIp) {
        this(id, namespace, name, labels, annotations, initContainers, containers, restartPolicy, gracePeriod, podIp,
                null);
    }

    /** A minimal spec: one namespace/name, the given containers, restart Always, default grace, no address. */
    public static InstanceSpec of(InstanceId id, String namespace, String name, List<ContainerSpec> containers) {
        return new InstanceSpec(id, namespace, name, null, null, null, containers, null, null, null);
    }

    /** The container (init or main) with this name. */
    public Optional<ContainerSpec> container(String containerName) {
        return Stream.concat(initContainers.stream(), containers.stream())
                .filter(c -> c.name().equals(containerName))
                .findFirst();
    }

    /** The sum of the containers' requests: what the instance is sized by (init containers run before, not with). */
    public ComputeResources requests() {
        ComputeResources sum = ComputeResources.NONE;
        for (ContainerSpec c : containers) {
            sum = sum.plus(c.resources().requests());
        }
        return sum;
    }

    public InstanceSpec withAnnotations(Map<String, String> newAnnotations) {
        return new InstanceSpec(id, namespace, name, labels, newAnnotations, initContainers, containers, restartPolicy,
                gracePeriod, podIp, pullCredentials);
    }

    public InstanceSpec withContainers(List<ContainerSpec> newInitContainers, List<ContainerSpec> newContainers) {
        return new InstanceSpec(id, namespace, name, labels, annotations, newInitContainers, newContainers,
                restartPolicy, gracePeriod, podIp, pullCredentials);
    }

    public InstanceSpec withPullCredentials(List<RegistryCredential> newPullCredentials) {
        return new InstanceSpec(id, namespace, name, labels, annotations, initContainers, containers, restartPolicy,
                gracePeriod, podIp, newPullCredentials);
    }

    public InstanceSpec withInitContainers(List<ContainerSpec> newInitContainers) {
        return new InstanceSpec(id, namespace, name, labels, annotations, newInitContainers, containers, restartPolicy,
                gracePeriod, podIp, pullCredentials);
    }

    public InstanceSpec withRestartPolicy(RestartPolicy newPolicy) {
        return new InstanceSpec(id, namespace, name, labels, annotations, initContainers, containers, newPolicy,
                gracePeriod, podIp, pullCredentials);
    }

    public InstanceSpec withGracePeriod(Duration newGracePeriod) {
        return new InstanceSpec(id, namespace, name, labels, annotations, initContainers, containers, restartPolicy,
                newGracePeriod, podIp, pullCredentials);
    }

    public InstanceSpec withPodIp(InetAddress newPodIp) {
        return new InstanceSpec(id, namespace, name, labels, annotations, initContainers, containers, restartPolicy,
                gracePeriod, newPodIp, pullCredentials);
    }
}
