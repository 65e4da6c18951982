package dev.skiff.node.runtime;

/**
 * A runtime call that could not be served. Closed set: callers switch over the permitted subclasses. Bad arguments
 * are not runtime failures and raise {@link IllegalArgumentException} instead.
 */
public abstract sealed class InstanceRuntimeException extends RuntimeException
        permits InstanceNotFoundException, ContainerNotFoundException, RuntimeUnavailableException,
        ImagePullFailedException {

    protected InstanceRuntimeException(String message, Throwable cause) {
        super(message, cause);
    }
}
