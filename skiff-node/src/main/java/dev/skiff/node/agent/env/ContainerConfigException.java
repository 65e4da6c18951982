package dev.skiff.node.agent.env;

/**
 * A container cannot be configured: a non-optional ConfigMap, Secret or key is missing, or a field path is not
 * supported. The message is the kubelet's (e.g. {@code configmap "app" not found}, {@code couldn't find key k in
 * ConfigMap ns/app}); the agent shows it as the container's {@code CreateContainerConfigError} and retries, as the
 * kubelet's pod worker does, until the reference can be resolved.
 */
public final class ContainerConfigException extends Exception {

    public ContainerConfigException(String message) {
        super(message);
    }

    /** The kubelet's NotFound wording for a ConfigMap or Secret ({@code configmap "x" not found}). */
    public static ContainerConfigException notFound(String kind, String name) {
        return new ContainerConfigException(kind + " \"" + name + "\" not found");
    }
}
