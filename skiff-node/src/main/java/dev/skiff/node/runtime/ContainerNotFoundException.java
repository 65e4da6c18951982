package dev.skiff.node.runtime;

/**
 * The instance exists but has no container with this name, or (for previous logs) the container has no previous
 * attempt. The kubelet answers such requests with 400 Bad Request.
 */
public final class ContainerNotFoundException extends InstanceRuntimeException {

    public ContainerNotFoundException(String message) {
        super(message, null);
    }
}
