package dev.skiff.node.runtime;

/**
 * The runtime cannot serve calls now (closed, its daemon unreachable). Transient from the node agent's point of
 * view: it retries with backoff rather than failing the pod.
 */
public final class RuntimeUnavailableException extends InstanceRuntimeException {

    public RuntimeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
