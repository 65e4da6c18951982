package dev.skiff.node.kubelet;

import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.ContainerStatus;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceRuntime;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A pod (and container) a stream request names, resolved against the node's pods and runtime, with the kubelet's
 * refusals when it cannot be served.
 *
 * @param container the container's name, or empty for port-forward (which targets the pod)
 */
record Target(Pod pod, InstanceId instance, String container) {

    /** The pod {@code namespace/name} bound to this node; 404 as the kubelet's "pod does not exist". */
    static Target pod(PodDirectory pods, String namespace, String name) {
        Pod pod = pods.find(namespace, name).orElseThrow(() -> KubeletError.notFound(
                "pod \"" + name + "\" in namespace \"" + namespace + "\" does not exist"));
        String uid = pod.getMetadata().getUid();
        if (uid == null || uid.isEmpty()) {
            throw KubeletError.notFound("pod \"" + namespace + "/" + name + "\" has no uid yet");
        }
        return new Target(pod, InstanceId.of(uid), "");
    }

    /** A container of the pod (regular, init or ephemeral); 404 {@code container not found} otherwise. */
    static Target container(PodDirectory pods, String namespace, String name, String container) {
        Target target = pod(pods, namespace, name);
        var spec = target.pod().getSpec();
        boolean known = Stream.of(spec.getContainers(), spec.getInitContainers())
                .filter(java.util.Objects::nonNull)
                .flatMap(java.util.List::stream)
                .map(Container::getName)
                .anyMatch(container::equals);
        if (!known) {
            throw KubeletError.notFound("container not found (\"" + container + "\")");
        }
        return new Target(target.pod(), target.instance(), container);
    }

    /** The container's status in the runtime, if the runtime has started the instance. */
    Optional<ContainerStatus> status(InstanceRuntime runtime) {
        return runtime.status(instance).flatMap(s -> Stream.concat(s.initContainers().stream(),
                s.containers().stream()).filter(c -> c.name().equals(container)).findFirst());
    }

    /**
     * Refuses a container that is not running, as the kubelet refuses to exec or attach into one (its runtime
     * finds no running container: {@code container not found}).
     */
    void requireRunning(InstanceRuntime runtime) {
        ContainerStatus status = status(runtime).orElse(null);
        if (status == null || !(status.state() instanceof ContainerState.Running)) {
            throw KubeletError.notFound("container not found (\"" + container + "\")");
        }
    }

    String podName() {
        return pod.getMetadata().getName();
    }
}
